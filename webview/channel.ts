/*
 * The webview side of the view channel (src/extension/viewChannel.ts is the host side): a view
 * names the topics it draws, gets a snapshot of them and then their messages, and acknowledges
 * each telemetry frame once it has drawn it, so the host never sends frames faster than the view
 * draws them.
 */
import type { FromWebview, ToWebview, Topic } from '../src/protocol/webviewProtocol';
import { post } from './vscodeApi';

export type ViewRequest = Exclude<FromWebview, { type: 'ready' } | { type: 'ack' }>;

export interface HostChannel {
  /** A request to the host (a control action, a layer choice…). */
  send(msg: ViewRequest): void;
}

/**
 * Connects the view: `onMessage` gets every host message of `topics` (and the snapshots and run
 * states every view gets). The acknowledgement of a frame is sent from an animation-frame callback
 * requested after `onMessage` returned, so it follows the view's own draw of that frame (callbacks
 * run in the order they were requested).
 */
export function connect(topics: readonly Topic[], onMessage: (msg: ToWebview) => void): HostChannel {
  let ackPending = false;
  window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
    const msg = event.data;
    onMessage(msg);
    const carriesFrame = msg.type === 'frame' || (msg.type === 'snapshot' && !!msg.frame);
    if (carriesFrame && !ackPending) {
      ackPending = true;
      requestAnimationFrame(() => {
        ackPending = false;
        post({ type: 'ack' });
      });
    }
  });
  post({ type: 'ready', topics });
  return { send: (msg) => post(msg) };
}
