/**
 * The Python half of model.py that does not depend on the model file: one nn.Module per Glassbox
 * layer kind, each computing exactly what the engine's layer computes (same parameter names and
 * layouts, so a state dict maps one-to-one onto a Glassbox weights file).
 */
export const PYTORCH_LAYERS = `
def activate(x, name, alpha=0.01):
    """The engine's activations (layers/activation.ts)."""
    if name == 'linear':
        return x
    if name == 'sigmoid':
        return torch.sigmoid(x)
    if name == 'tanh':
        return torch.tanh(x)
    if name == 'relu':
        return torch.relu(x)
    if name == 'leakyRelu':
        return F.leaky_relu(x, alpha)
    if name == 'softmax':
        return torch.softmax(x, dim=-1)
    raise ValueError('unknown activation ' + name)


def keep_dropout(x, keep_prob, training):
    """Dropout given as the probability of KEEPING a unit (Glassbox's keepProb, the book's
    convention): inverted dropout, x * mask / keep_prob in training, identity in evaluation.
    F.dropout takes the probability of DROPPING, so p = 1 - keep_prob."""
    if keep_prob >= 1:
        return x
    return F.dropout(x, p=1.0 - keep_prob, training=training)


def init_weight(t, init, fan_in, fan_out):
    """The engine's initialisations (layers/init.ts)."""
    with torch.no_grad():
        if init == 'pytorch':
            bound = 1.0 / math.sqrt(fan_in)
            t.uniform_(-bound, bound)
            return
        std = {
            'standard': 1.0,
            'glorot': math.sqrt(2.0 / (fan_in + fan_out)),
            'glorotBook': 2.0 / (fan_in + fan_out),
            'he': math.sqrt(2.0 / fan_in),
        }[init]
        t.normal_(0.0, std)


class Dense(nn.Module):
    """y = activation(x @ W + B), then dropout. W is [in, units] (Glassbox's layout: the
    transpose of nn.Linear's weight), B is [1, units]."""

    def __init__(self, fan_in, units, activation='linear', alpha=0.01, init='standard',
                 keep_prob=1.0, use_bias=True):
        super().__init__()
        self.activation, self.alpha, self.keep_prob = activation, alpha, keep_prob
        self.W = nn.Parameter(torch.empty(fan_in, units))
        init_weight(self.W, init, fan_in, units)
        if use_bias:
            self.B = nn.Parameter(torch.zeros(1, units))
            if init == 'pytorch':
                init_weight(self.B, init, fan_in, units)
        else:
            self.register_parameter('B', None)

    def forward(self, x):
        y = x @ self.W
        if self.B is not None:
            y = y + self.B
        return keep_dropout(activate(y, self.activation, self.alpha), self.keep_prob, self.training)


class Conv2d(nn.Module):
    """y = activation(conv2d(x, W) + B), then optional flatten and dropout (the engine's order).
    The padding is explicit per side, so 'same' follows the engine's rule for any kernel and
    stride: out = ceil(in / stride), total padding split with the extra row/column at the end.
    W is [filters, in_channels, kh, kw] (nn.Conv2d's layout), B is [filters]."""

    def __init__(self, in_channels, filters, kernel, stride, pad, activation='linear', alpha=0.01,
                 init='standard', keep_prob=1.0, use_bias=True, flatten=False):
        super().__init__()
        self.stride, self.pad = stride, pad  # pad: (left, right, top, bottom), F.pad's order
        self.activation, self.alpha, self.keep_prob, self.flatten = activation, alpha, keep_prob, flatten
        kh, kw = kernel
        self.W = nn.Parameter(torch.empty(filters, in_channels, kh, kw))
        init_weight(self.W, init, in_channels * kh * kw, filters * kh * kw)
        if use_bias:
            self.B = nn.Parameter(torch.zeros(filters))
            if init == 'pytorch':
                init_weight(self.B, init, in_channels * kh * kw, filters * kh * kw)
        else:
            self.register_parameter('B', None)

    def forward(self, x):
        y = F.conv2d(F.pad(x, self.pad), self.W, self.B, stride=self.stride)
        y = activate(y, self.activation, self.alpha)
        if self.flatten:
            y = y.reshape(y.shape[0], -1)
        return keep_dropout(y, self.keep_prob, self.training)


class MaxPool2d(nn.Module):
    """Maximum of each window; padding never wins (windows are clipped to the input)."""

    def __init__(self, kernel, stride, pad):
        super().__init__()
        self.kernel, self.stride, self.pad = kernel, stride, pad

    def forward(self, x):
        return F.max_pool2d(F.pad(x, self.pad, value=-math.inf), self.kernel, self.stride)


class AvgPool2d(nn.Module):
    """Mean of each window, zero padding counted (count_include_pad=True)."""

    def __init__(self, kernel, stride, pad):
        super().__init__()
        self.kernel, self.stride, self.pad = kernel, stride, pad

    def forward(self, x):
        return F.avg_pool2d(F.pad(x, self.pad), self.kernel, self.stride)


class Flatten(nn.Module):
    """[batch, ...] -> [batch, values], C order."""

    def forward(self, x):
        return x.reshape(x.shape[0], -1)


class Reshape(nn.Module):
    """Each example's values in a new shape, C order (view(-1, ...))."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


class BatchNorm(nn.Module):
    """Batch normalisation per feature of [batch, features] or per channel of [batch, C, h, w]
    (PyTorch's BatchNorm1d/2d: biased batch variance to normalise, unbiased in the running
    estimate, running = (1 - momentum) * running + momentum * batch), then an activation."""

    def __init__(self, channels, momentum=0.1, eps=1e-5, activation='linear', alpha=0.01):
        super().__init__()
        self.momentum, self.eps, self.activation, self.alpha = momentum, eps, activation, alpha
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.register_buffer('runningMean', torch.zeros(channels))
        self.register_buffer('runningVar', torch.ones(channels))

    def forward(self, x):
        y = F.batch_norm(x, self.runningMean, self.runningVar, self.gamma, self.beta,
                         self.training, self.momentum, self.eps)
        return activate(y, self.activation, self.alpha)


def init_recurrent(module, weight_scale):
    """The engine's modern initialisation of a recurrent layer: every weight matrix N(0, std)
    with std = weight_scale, or Glorot sqrt(2 / (rows + columns)) when none is given; biases 0."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.startswith('B'):
                p.zero_()
            else:
                std = weight_scale if weight_scale else math.sqrt(2.0 / (p.shape[0] + p.shape[1]))
                p.normal_(0.0, std)


class RNN(nn.Module):
    """The book's RNNLayer: H_t = tanh([x_t, H_{t-1}] @ W_f + B_f) from H_0 = 0, then
    out_t = H_t @ W_v + B_v at every step. [batch, T, features] -> [batch, T, output_size]."""

    def __init__(self, features, hidden, output_size, weight_scale=None):
        super().__init__()
        self.hidden = hidden
        self.W_f = nn.Parameter(torch.empty(features + hidden, hidden))
        self.B_f = nn.Parameter(torch.empty(1, hidden))
        self.W_v = nn.Parameter(torch.empty(hidden, output_size))
        self.B_v = nn.Parameter(torch.empty(1, output_size))
        init_recurrent(self, weight_scale)

    def forward(self, x):
        h = x.new_zeros(x.shape[0], self.hidden)
        hs = []
        for t in range(x.shape[1]):
            h = torch.tanh(torch.cat([x[:, t], h], dim=1) @ self.W_f + self.B_f)
            hs.append(h)
        return torch.stack(hs, dim=1) @ self.W_v + self.B_v


class LSTM(nn.Module):
    """The book's LSTMLayer. With z = [x_t, H_{t-1}]: f = sigmoid(z @ W_f + B_f),
    i = sigmoid(z @ W_i + B_i), c_bar = tanh(z @ W_c + B_c), o = sigmoid(z @ W_o + B_o),
    C_t = f * C_{t-1} + i * c_bar, H_t = o * tanh(C_t); out_t = H_t @ W_v + B_v."""

    def __init__(self, features, hidden, output_size, weight_scale=None):
        super().__init__()
        self.hidden = hidden
        for k in 'fico':
            setattr(self, 'W_' + k, nn.Parameter(torch.empty(features + hidden, hidden)))
            setattr(self, 'B_' + k, nn.Parameter(torch.empty(1, hidden)))
        self.W_v = nn.Parameter(torch.empty(hidden, output_size))
        self.B_v = nn.Parameter(torch.empty(1, output_size))
        init_recurrent(self, weight_scale)

    def forward(self, x):
        h = x.new_zeros(x.shape[0], self.hidden)
        c = x.new_zeros(x.shape[0], self.hidden)
        hs = []
        for t in range(x.shape[1]):
            z = torch.cat([x[:, t], h], dim=1)
            f = torch.sigmoid(z @ self.W_f + self.B_f)
            i = torch.sigmoid(z @ self.W_i + self.B_i)
            c_bar = torch.tanh(z @ self.W_c + self.B_c)
            o = torch.sigmoid(z @ self.W_o + self.B_o)
            c = f * c + i * c_bar
            h = o * torch.tanh(c)
            hs.append(h)
        return torch.stack(hs, dim=1) @ self.W_v + self.B_v


class GRU(nn.Module):
    """Glassbox's GRU (recurrent/gruCell.ts; not nn.GRU, whose candidate applies the reset gate
    after the hidden product and whose H_t weights the gates the other way round):
    r = sigmoid(x_t @ W_xr + H @ W_hr + B_r), u = sigmoid(x_t @ W_xu + H @ W_hu + B_u),
    h_bar = tanh(x_t @ W_xh + (r * H) @ W_hh + B_h), H_t = u * H + (1 - u) * h_bar;
    out_t = H_t @ W_v + B_v."""

    def __init__(self, features, hidden, output_size, weight_scale=None):
        super().__init__()
        self.hidden = hidden
        for k in 'ruh':
            setattr(self, 'W_x' + k, nn.Parameter(torch.empty(features, hidden)))
            setattr(self, 'W_h' + k, nn.Parameter(torch.empty(hidden, hidden)))
            setattr(self, 'B_' + k, nn.Parameter(torch.empty(1, hidden)))
        self.W_v = nn.Parameter(torch.empty(hidden, output_size))
        self.B_v = nn.Parameter(torch.empty(1, output_size))
        init_recurrent(self, weight_scale)

    def forward(self, x):
        h = x.new_zeros(x.shape[0], self.hidden)
        hs = []
        for t in range(x.shape[1]):
            xt = x[:, t]
            r = torch.sigmoid(xt @ self.W_xr + h @ self.W_hr + self.B_r)
            u = torch.sigmoid(xt @ self.W_xu + h @ self.W_hu + self.B_u)
            h_bar = torch.tanh(xt @ self.W_xh + (r * h) @ self.W_hh + self.B_h)
            h = h_bar + u * (h - h_bar)
            hs.append(h)
        return torch.stack(hs, dim=1) @ self.W_v + self.B_v


def load_weights(model, path):
    """Loads a weights.npz written by Glassbox's export or by train.py (numpy only)."""
    with np.load(path) as arrays:
        state = {k: torch.from_numpy(arrays[k]) for k in arrays.files}
    model.load_state_dict(state, strict=True)


def save_weights(model, path):
    """Writes the state dict as an uncompressed .npz, the layout load_weights and
    'glassbox import' read."""
    np.savez(path, **{k: v.detach().cpu().numpy() for k, v in model.state_dict().items()})
`;
