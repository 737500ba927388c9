/**
 * The tray's icon: build/icon.svg at 16 px, with a 2x version for high-density screens, plain when
 * all is well, with an amber dot when something needs attention, a red one when the host does not
 * activate clients (the state comes from service/notification-policy.ts).
 */
import { nativeImage, type NativeImage } from 'electron';
import type { TrayState as HostTrayState } from '../service/notification-policy.js';
import * as icons from './tray-icon-data.js';

const BY_STATE: Record<HostTrayState, readonly [string, string]> = {
  ok: [icons.TRAY_ICON_OK_1X, icons.TRAY_ICON_OK_2X],
  attention: [icons.TRAY_ICON_ATTENTION_1X, icons.TRAY_ICON_ATTENTION_2X],
  'not-activating': [icons.TRAY_ICON_NOT_ACTIVATING_1X, icons.TRAY_ICON_NOT_ACTIVATING_2X],
};

export function trayIcon(state: HostTrayState = 'ok'): NativeImage {
  const [x1, x2] = BY_STATE[state];
  const image = nativeImage.createFromDataURL(x1);
  image.addRepresentation({ scaleFactor: 2, dataURL: x2 });
  return image;
}
