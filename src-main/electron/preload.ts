/**
 * Exposes the contract as named functions (one per channel) on window.quorumBridge. ipcRenderer
 * itself never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { makeBridge } from '../../shared/ipc/bridge.js';
import type { Wrapped } from '../../shared/ipc/views.js';

const bridge = makeBridge(
  (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Wrapped<unknown>>,
  (channel, listener) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
);

contextBridge.exposeInMainWorld('quorumBridge', bridge);
