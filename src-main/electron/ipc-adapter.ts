/**
 * The Electron transport of the contract: one ipcMain handler per invoke channel, each checking
 * the sender before the shared dispatcher validates the payload; events are forwarded to the window.
 */
import { ipcMain, type WebContents } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel } from '../../shared/ipc/contract.js';
import { dispatchInvoke } from '../service/dispatch.js';
import type { ConsoleService } from '../service/console-service.js';
import { isTrustedSender } from './security.js';

export function attachIpc(service: ConsoleService, contents: WebContents, appUrl: string): () => void {
  const channels = Object.keys(INVOKE_CHANNELS) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, contents, appUrl)) {
        return {
          ok: false,
          error: { code: 'IPC_FORBIDDEN_SENDER', message: 'This page may not use the console API.' },
        };
      }
      return dispatchInvoke(service.contract, channel, input);
    });
  }
  const offs = EVENT_CHANNELS.map((channel) =>
    service.events.on(channel, (payload) => {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    }),
  );
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    offs.forEach((off) => off());
  };
}
