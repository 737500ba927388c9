/**
 * The console's view state in the address (the hash: "#/clients?text=pc&sort=lastSeen.desc&page=2"),
 * so a reload lands where the admin was and Back goes to the previous view, filter or page.
 */
export interface Route {
  view: string;
  params: Record<string, string>;
}

function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  return { view: path || 'overview', params };
}

function format(r: Route): string {
  const q = new URLSearchParams(Object.entries(r.params).filter(([, v]) => v !== '')).toString();
  return `#/${r.view}${q ? `?${q}` : ''}`;
}

export const route = $state<Route>(parse(location.hash));

window.addEventListener('popstate', () => Object.assign(route, parse(location.hash)));
window.addEventListener('hashchange', () => Object.assign(route, parse(location.hash)));

/**
 * Goes to a view, or changes the current view's parameters. `replace` for changes too small to be
 * a step of Back (each key typed into a filter).
 */
export function navigate(view: string, params: Record<string, string> = {}, options: { replace?: boolean } = {}): void {
  const next = { view, params };
  const url = format(next);
  if (url === location.hash) return;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route.view = view;
  route.params = params;
}

/** Sets some parameters of the current view, keeping the others. */
export function setParams(changes: Record<string, string>, options: { replace?: boolean } = {}): void {
  navigate(route.view, { ...route.params, ...changes }, options);
}

/** The views App.svelte registered, so a link to a view this build lacks is not offered. */
const registered: Record<string, string> = {};

export function registerViews(views: readonly { id: string; label: string }[]): void {
  for (const v of views) registered[v.id] = v.label;
}

export function knownView(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(registered, id);
}

/** The label of a registered view ("Clients"), for buttons that open it. */
export function viewLabel(id: string): string {
  return registered[id] ?? id;
}
