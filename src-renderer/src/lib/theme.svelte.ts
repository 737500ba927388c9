/**
 * Light or dark: the system's choice unless the admin picked one, remembered in this browser
 * (localStorage). The choice is an attribute on <html>; app.css holds both palettes.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'quorum-theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export const theme = $state<{ choice: ThemeChoice }>({ choice: stored() });

export function applyTheme(choice: ThemeChoice): void {
  theme.choice = choice;
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // A browser that keeps no storage still switches; the choice lasts until the page reloads.
  }
}
