/** Tab switching of the training panel; the chosen tab is remembered across reloads. */
export type TabName = 'training' | 'layers' | 'network' | 'probe' | 'latent';

export function setupTabs(initial: TabName, onChange: (tab: TabName) => void): (tab: TabName) => void {
  const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('.tab-btn'));
  const show = (tab: TabName): void => {
    for (const b of buttons) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    for (const page of Array.from(document.querySelectorAll<HTMLElement>('.tab-page')))
      page.hidden = page.id !== `tab-${tab}`;
    document.body.dataset.tab = tab;
    onChange(tab);
  };
  for (const b of buttons) b.addEventListener('click', () => show(b.dataset.tab as TabName));
  show(initial);
  return show;
}
