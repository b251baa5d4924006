// The <consortium-sim> element's own styles, inside its shadow root: the host page's CSS does
// not reach in, and these do not leak out. System fonts only, CJK fonts listed for Chinese.
// Print shows the analyst's static fallback when there is one (it was drawn for paper: SVG
// and a table), else the live charts as they are.

export const ELEMENT_CSS = `
:host { display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: #1f2933; min-width: 0; }
:host([hidden]) { display: none; }
[hidden] { display: none !important; }
.frame { box-sizing: border-box; width: 100%; }
.bar { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin: 0 0 8px; font-size: 13px; }
.play { font: inherit; padding: 4px 12px; border: 1px solid #1c6fb5; border-radius: 4px; background: #fff; color: #1c6fb5; cursor: pointer; }
.play:hover:not(:disabled) { background: #eaf3fb; }
.play:focus-visible { outline: 2px solid #1c6fb5; outline-offset: 2px; }
.play:disabled { opacity: .6; cursor: default; }
.clock { color: #6b7785; font-variant-numeric: tabular-nums; }
.note { color: #6b7785; }
.problems { margin: 0 0 8px; padding: 6px 10px 6px 26px; border-left: 3px solid #b54708; background: #fff7ed; color: #7a2e0e; font-size: 13px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin-bottom: 8px; }
.figures:empty { display: none; }
.figure { display: flex; flex-direction: column; padding: 6px 10px; border: 1px solid #e4e8ee; border-radius: 6px; background: #fff; }
.figure .label { font-size: 12px; color: #6b7785; }
.figure .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figure .base { font-size: 12px; color: #6b7785; min-height: 1.2em; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap: 8px; }
.card { margin: 0; padding: 8px; border: 1px solid #e4e8ee; border-radius: 6px; background: #fff; min-width: 0; }
.card figcaption { font-size: 14px; font-weight: 600; margin-bottom: 4px; }
.chart { width: 100%; height: 260px; }
@media print {
  .bar, .problems { display: none !important; }
  .has-fallback .live { display: none !important; }
  .has-fallback slot { display: contents !important; }
}
`;
