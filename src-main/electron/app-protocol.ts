/**
 * The renderer is served from app://quorum/ (not file://), so every response carries the one CSP
 * and the page has a real origin that IPC sender checks compare against.
 */
import { protocol } from 'electron';
import { readStatic } from '../headless/static-files.js';
import { STARTUP_PROBLEM_CSS } from '../service/startup-problem.js';
import { CSP } from './security.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'quorum';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const STARTUP_PROBLEM_URL = `${APP_SCHEME}://${APP_HOST}/startup-problem.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function page(body: string | Buffer, type: string, status = 200): Response {
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    status,
    headers: { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
  });
}

/** Answers one app:// request: the built renderer's files, or the start-up problem page. */
export async function appResponse(
  rendererDir: string,
  url: string,
  problemHtml: () => string | null,
): Promise<Response> {
  const { host, pathname } = new URL(url);
  if (host !== APP_HOST) return page('Not found', 'text/plain; charset=utf-8', 404);
  if (pathname === '/startup-problem.html' || pathname === '/startup-problem.css') {
    const html = problemHtml();
    if (html === null) return page('Not found', 'text/plain; charset=utf-8', 404);
    return pathname.endsWith('.css')
      ? page(STARTUP_PROBLEM_CSS, 'text/css; charset=utf-8')
      : page(html, 'text/html; charset=utf-8');
  }
  const file = await readStatic(rendererDir, pathname);
  return file ? page(file.body, file.type) : page('Not found', 'text/plain; charset=utf-8', 404);
}

export function serveApp(rendererDir: string, problemHtml: () => string | null): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url, problemHtml));
}
