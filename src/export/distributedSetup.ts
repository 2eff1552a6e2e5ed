/**
 * The lines of train.py's main() (indented four spaces) that join torchrun's process group when
 * WORLD_SIZE > 1 (gloo on CPU, nccl on CUDA, one device per local rank) and make only rank 0 log;
 * shared by the epoch and the text training scripts.
 */
export const DISTRIBUTED_SETUP = `    world = int(os.environ.get('WORLD_SIZE', '1'))
    distributed = world > 1
    rank = 0
    device = torch.device(args.device)
    if distributed:
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')
        rank = dist.get_rank()
        if device.type == 'cuda':
            device = torch.device('cuda', int(os.environ.get('LOCAL_RANK', '0')))
            torch.cuda.set_device(device)
    log = print if rank == 0 else (lambda *a, **k: None)
`;
