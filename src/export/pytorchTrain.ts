import { dirname, join } from 'node:path';
import { BOSTON_CSV } from '../data/boston';
import { dataPathResolver } from '../data/dataSource';
import { mnistDataDir } from '../data/mnist';
import { mnistSampleDir } from '../data/mnistSample';
import type { ModelSpec } from '../modelFile/spec';
import { pyDocText, pyNumber, pyString } from './pythonText';
import { TEXT_TRAIN_LOOP } from './textTrainLoop';
import { TRAIN_HELPERS, TRAIN_MAIN } from './trainLoop';

/** A JSON value as a Python literal (strings escaped by pyString, so nothing in them becomes code). */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${pyString(k)}: ${pyLiteral(x)}`)
    .join(', ')}}`;
}

/** Why train.py cannot be written for this model file, or undefined when it can. */
export function trainUnsupported(spec: ModelSpec): string | undefined {
  if (spec.loss.type === 'sequenceSoftmaxCrossEntropy' && spec.loss.form === 'book')
    return 'the loss has "form": "book" (the chapter 6 notebook\'s clipped binary form, whose gradient is not its derivative); train.py is not written for it; model.py, weights.npz and verify.py are.';
  if (spec.data.type === 'imageFolder')
    return 'the data is an image folder, whose decoding and resizing train.py does not reproduce; model.py, weights.npz and verify.py (on the test images as Glassbox prepared them) are written.';
  return undefined;
}

/** The data section as train.py's DATA dict, every path absolute (resolved as Glassbox resolves it). */
function dataConfig(spec: ModelSpec, modelFile: string, vocabulary?: readonly string[]): Record<string, unknown> {
  const d = spec.data;
  const target = 'target' in d && d.target === 'input' ? 'input' : 'labels';
  switch (d.type) {
    case 'boston':
      return { type: 'boston', csv: BOSTON_CSV };
    case 'mnist-sample':
      return {
        type: 'mnist-sample',
        digits: mnistSampleDir(),
        test_fraction: d.testFraction,
        split_seed: d.splitSeed,
        layout: d.layout,
        scaling: d.scaling ?? 'unit',
        target,
      };
    case 'mnist': {
      const dir = mnistDataDir();
      return {
        type: 'idx',
        train_images: join(dir, 'train-images-idx3-ubyte'),
        train_labels: join(dir, 'train-labels-idx1-ubyte'),
        test_images: join(dir, 't10k-images-idx3-ubyte'),
        test_labels: join(dir, 't10k-labels-idx1-ubyte'),
        scaling: d.scaling,
        layout: d.layout,
        classes: 10,
        target,
      };
    }
    case 'idx': {
      const resolve = dataPathResolver(modelFile);
      return {
        type: 'idx',
        train_images: resolve(d.trainImages),
        train_labels: resolve(d.trainLabels),
        test_images: resolve(d.testImages),
        test_labels: resolve(d.testLabels),
        scaling: d.scaling,
        layout: d.layout,
        classes: d.classes,
        target,
      };
    }
    case 'csv':
      return {
        type: 'csv',
        path: dataPathResolver(modelFile)(d.path),
        target: typeof d.target === 'string' ? [d.target] : [...d.target],
        features: d.features ? [...d.features] : null,
        classes: d.classes ?? null,
        scale: d.scale,
        scale_before_split: d.scaleBeforeSplit,
        test_fraction: d.testFraction,
        split_seed: d.splitSeed,
        delimiter: d.delimiter,
      };
    case 'text':
      return {
        type: 'text',
        path: dataPathResolver(modelFile)(d.path),
        sequence_length: d.sequenceLength,
        validation_fraction: d.validationFraction,
        // Rows of a batch: disjoint windows (modern), as textFitOptions.
        row_stride: d.sequenceLength,
        vocabulary: vocabulary ?? [],
      };
    case 'imageFolder':
      // train.py is not written for image folders (trainUnsupported); the folder is named for the README.
      return { type: 'imageFolder', path: dataPathResolver(modelFile)(d.path) };
  }
}

/** train.py: the model file's data preparation, loss, optimizer and training loop (trainLoop.ts). */
export function trainPython(spec: ModelSpec, modelFile: string, vocabulary?: readonly string[]): string {
  const o = spec.optimizer;
  const t = spec.training;
  const optimizer = {
    type: o.type,
    lr: o.lr,
    momentum: o.type === 'sgdMomentum' ? o.momentum : null,
    eps: o.type === 'adaGrad' || o.type === 'adam' ? o.eps : null,
    betas: o.type === 'adam' ? [o.beta1, o.beta2] : null,
    clip: o.clip ?? null,
    decay: o.decay ? { type: o.decay.type, final_lr: o.decay.finalLr, every: o.decay.every ?? 'epoch' } : null,
  };
  const loss =
    spec.loss.type === 'meanSquaredError'
      ? { type: spec.loss.type, normalize: spec.loss.normalize }
      : spec.loss.type === 'sequenceSoftmaxCrossEntropy'
        ? { type: spec.loss.type, reduction: spec.loss.reduction ?? 'mean' }
        : { type: spec.loss.type };
  const training = {
    epochs: t.epochs,
    batch_size: t.batchSize,
    eval_every: t.evalEvery,
    early_stopping: t.earlyStopping,
    seed: t.seed,
    metrics: t.metrics ?? null,
    iterations: t.iterations ?? null,
  };
  const name = pyDocText(spec.name);
  return [
    `"""Trains ${name} as its Glassbox model file does: the same data preparation, loss,`,
    'optimizer (with clipping and learning-rate decay), batch size, epochs, evaluation and metrics.',
    '',
    '    python3 train.py [--epochs N] [--device cuda] [--out trained.npz]',
    '    torchrun --nproc_per_node=2 train.py      # DistributedDataParallel (gloo on CPU, nccl on GPUs)',
    '',
    'Under torchrun each process takes batch_size / processes rows of every batch (a DistributedSampler',
    "splits each epoch's shuffled rows), so one step still sees batch_size rows. Ends with one JSON line",
    '{"event": "done", ...} and writes the trained weights in the layout of weights.npz (model.save_weights)',
    'plus their history (<out>.json), which `glassbox import` reads.',
    '"""',
    'import argparse',
    'import copy',
    'import gzip',
    'import json',
    'import math',
    'import os',
    'import sys',
    'import time',
    '',
    'import numpy as np',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn.functional as F',
    'from torch.nn.parallel import DistributedDataParallel',
    'from torch.utils.data import DistributedSampler',
    '',
    'from model import DTYPE, create_model, save_weights',
    '',
    'HERE = os.path.dirname(os.path.abspath(__file__))',
    '',
    "# The model file's settings (paths resolved where Glassbox resolves them).",
    `MODEL_NAME = ${pyString(spec.name)}`,
    `MODEL_FILE = ${pyString(modelFile)}`,
    `SEED = ${pyNumber(spec.seed)}`,
    `DATA = ${pyLiteral(dataConfig(spec, modelFile, vocabulary))}`,
    `LOSS = ${pyLiteral(loss)}`,
    `OPTIMIZER = ${pyLiteral(optimizer)}`,
    `TRAINING = ${pyLiteral(training)}`,
    `# Folder of the model file (for reference).`,
    `MODEL_DIR = ${pyString(dirname(modelFile))}`,
    TRAIN_HELPERS,
    spec.data.type === 'text' ? TEXT_TRAIN_LOOP : TRAIN_MAIN,
  ].join('\n');
}
