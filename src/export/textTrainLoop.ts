import { DISTRIBUTED_SETUP } from './distributedSetup';
/**
 * The fixed part of train.py for a character model (data type 'text'): the text prepared as
 * data/textData.ts and engine/text/textDataset.ts prepare it (UTF-8, BOM dropped, line ends to
 * \n, the last validationFraction held out, evaluation windows of its first 16,384 characters),
 * the book's RNNTrainer batches in order with a moving pointer (text/charBatches.ts), the
 * sequence cross-entropy, evaluation every eval_every iterations (a round) and the character
 * metrics of train/characterMetrics.ts. Uses make_optimizer, epoch_lr and step_lr of TRAIN_LOOP.
 */
export const TEXT_TRAIN_LOOP = `

# ---------------------------------------------------------------- text (data/textData.ts, engine/text)

def load_text(d):
    with open(d['path'], 'rb') as f:
        text = f.read().decode('utf-8')
    if text.startswith('\\ufeff'):
        text = text[1:]
    text = text.replace('\\r\\n', '\\n').replace('\\r', '\\n')
    index = {c: i for i, c in enumerate(d['vocabulary'])}
    unknown = sorted(set(text) - set(index))
    if unknown:
        raise SystemExit('the text has characters outside the exported vocabulary: %r' % unknown[:10])
    encoded = np.array([index[c] for c in text], dtype=np.int64)
    held_out = math.ceil(d['validation_fraction'] * len(encoded))
    return encoded[:len(encoded) - held_out], encoded[len(encoded) - held_out:]


def one_hot_windows(encoded, starts, length, vocab):
    """[rows, T, V]: row r is encoded[starts[r] : starts[r] + T], one-hot."""
    idx = np.asarray(starts)[:, None] + np.arange(length)[None, :]
    out = np.zeros((len(starts), length, vocab), dtype=np_dtype())
    np.put_along_axis(out, encoded[idx][:, :, None], 1.0, axis=2)
    return torch.from_numpy(out)


def sequence_loss(out, y):
    """Softmax cross-entropy per position; 'mean' over batch x T positions or 'sum' (the book)."""
    per_position = -(y * F.log_softmax(out, dim=2)).sum(dim=2)
    return per_position.mean() if LOSS['reduction'] == 'mean' else per_position.sum()


def character_metrics(out, y):
    ce = -(y.double() * F.log_softmax(out.double(), dim=2)).sum(dim=2).mean().item()
    accuracy = (out.argmax(dim=2) == y.argmax(dim=2)).double().mean().item()
    return {'crossEntropy': ce, 'bitsPerChar': ce / math.log(2), 'perplexity': math.exp(ce), 'accuracy': accuracy}


def main():
    parser = argparse.ArgumentParser(description='Train ' + MODEL_NAME + ' (a character model) in PyTorch.')
    parser.add_argument('--iterations', type=int, default=TRAINING['iterations'])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--seed', type=int, default=SEED, help='torch seed for the initial weights')
    parser.add_argument('--weights', help='start from these weights (.npz) instead of a fresh initialisation')
    parser.add_argument('--out', default=os.path.join(HERE, 'trained.npz'))
    parser.add_argument('--threads', type=int, default=0, help='torch CPU threads per process (0: torch default)')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
${DISTRIBUTED_SETUP}
    T, V = DATA['sequence_length'], len(DATA['vocabulary'])
    batch, stride = TRAINING['batch_size'], DATA['row_stride']
    train, validation = load_text(DATA)
    eval_chars = min(len(validation), 16384)
    starts = [r * T for r in range(max(1, (eval_chars - 1) // T))]
    x_test = one_hot_windows(validation, starts, T, V).to(device)
    y_test = one_hot_windows(validation, [s + 1 for s in starts], T, V).to(device)

    model = create_model(args.seed).to(device)
    if args.weights:
        from model import load_weights
        load_weights(model, args.weights)
    net = DistributedDataParallel(model, device_ids=[device] if device.type == 'cuda' else None) if distributed else model
    optimizer = make_optimizer(model.parameters())
    every = TRAINING['eval_every']
    rounds = math.ceil(args.iterations / every)
    log('%s: %d training / %d held-out characters, vocabulary %d, %d iterations of %d x %d characters '
        '(%d process%s, %s)' % (MODEL_NAME, len(train), len(validation), V, args.iterations, batch, T, world,
                                '' if world == 1 else 'es', device.type))
    history = {'epochs': [], 'evaluations': []}
    pointer, loss_sum, count, values, test_loss = 0, 0.0, 0, {}, math.nan
    started = time.time()
    for it in range(1, args.iterations + 1):
        round_ = (it - 1) // every + 1
        lr = step_lr(it - 1, args.iterations, epoch_lr(round_, rounds))
        for group in optimizer.param_groups:
            group['lr'] = lr
        # The book's RNNTrainer: rows in order from a moving pointer, back to 0 near the end.
        if pointer + batch * stride + T + 1 > len(train):
            pointer = 0
        rows = [pointer + r * stride for r in range(batch)][rank::world]
        pointer += batch * stride
        x = one_hot_windows(train, rows, T, V).to(device)
        y = one_hot_windows(train, [s + 1 for s in rows], T, V).to(device)
        model.train()
        optimizer.zero_grad()
        loss = sequence_loss(net(x), y)
        # DDP averages gradients over processes; a summed loss is a sum over all of them.
        (loss * world if LOSS['reduction'] == 'sum' else loss).backward()
        if OPTIMIZER['clip'] is not None:
            torch.nn.utils.clip_grad_value_(model.parameters(), OPTIMIZER['clip'])
        optimizer.step()
        loss_sum += loss.item()
        count += 1
        if it % every == 0 or it == args.iterations:
            model.eval()
            with torch.no_grad():
                out = model(x_test)
                test_loss = sequence_loss(out, y_test).item()
                values = character_metrics(out, y_test)
            history['epochs'].append({'epoch': round_, 'meanTrainLoss': loss_sum / count, 'lr': lr,
                                      'seconds': time.time() - started})
            history['evaluations'].append({'epoch': round_, 'loss': test_loss, 'metrics': values,
                                           'improved': True})
            log('iteration %d: validation loss %.4f  crossEntropy %.4f  bitsPerChar %.4f  perplexity %.4f  '
                'accuracy %.2f%%' % (it, test_loss, values['crossEntropy'], values['bitsPerChar'],
                                     values['perplexity'], 100 * values['accuracy']))
            loss_sum, count = 0.0, 0
    done = {'event': 'done', 'model': MODEL_NAME, 'epochsRun': rounds, 'iterations': args.iterations,
            'loss': test_loss, 'metrics': values, 'bestEpoch': rounds, 'earlyStop': None, 'processes': world,
            'device': device.type, 'seconds': time.time() - started, 'weights': args.out}
    if rank == 0:
        save_weights(model, args.out)
        with open(args.out + '.json', 'w') as f:
            json.dump({'format': 'glassbox-pytorch-train/1', 'done': done, **history}, f, indent=1)
        log(json.dumps(done))
    if distributed:
        dist.destroy_process_group()
    return 0


if __name__ == '__main__':
    sys.exit(main())
`;
