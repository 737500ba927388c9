/** The tray's icon: build/icon.svg at 16 px, with a 2x version for high-density screens. */
import { nativeImage, type NativeImage } from 'electron';
import { TRAY_ICON_1X, TRAY_ICON_2X } from './tray-icon-data.js';

export function trayIcon(): NativeImage {
  const image = nativeImage.createFromDataURL(TRAY_ICON_1X);
  image.addRepresentation({ scaleFactor: 2, dataURL: TRAY_ICON_2X });
  return image;
}
