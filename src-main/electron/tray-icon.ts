/** The tray's icon. */
import { nativeImage, type NativeImage } from 'electron';

// 16x16, the mark of build/icon.svg reduced to a dot that reads at tray size.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAO0lEQVR4nGNQCbvGQAnGJfEfBybKAFyasRpCqmYMQ8jRjGIIuZrhhowaQEUDKI5GqiQkqiRlqmQmkjAAboXrdG26PIoAAAAASUVORK5CYII=';

export function trayIcon(): NativeImage {
  return nativeImage.createFromDataURL(ICON);
}
