/** Tab switching of the training panel; the chosen tab is remembered across reloads. */
export type TabName = 'training' | 'layers' | 'network' | 'probe' | 'sequence' | 'latent' | 'evaluation';

export function setupTabs(
  buttons: Readonly<Record<TabName, HTMLButtonElement>>,
  pages: Readonly<Record<TabName, HTMLElement>>,
  initial: TabName,
  onChange: (tab: TabName) => void,
): (tab: TabName) => void {
  const names = Object.keys(buttons) as TabName[];
  const show = (tab: TabName): void => {
    for (const t of names) {
      buttons[t].setAttribute('aria-selected', String(t === tab));
      pages[t].hidden = t !== tab;
    }
    document.body.dataset.tab = tab;
    onChange(tab);
  };
  for (const t of names) buttons[t].addEventListener('click', () => show(t));
  show(initial);
  return show;
}
