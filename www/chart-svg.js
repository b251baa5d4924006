// A chart drawn as SVG text, off screen: the exported SVG images (chart-export) and the
// embed's static fallback (pre-rendered charts that print, and that show where JavaScript,
// wasm or workers are missing) both come from here, so a chart has one SVG form.
//
// ECharts' server-side mode draws without a DOM element: `renderToSVGString` returns the
// whole <svg> with its width, height and viewBox. Animation is off, so the string holds the
// final frame rather than the first one.

import * as echarts from './vendor/echarts.js';

/**
 * The SVG markup of a chart with ECharts option `option`, `width` × `height` CSS pixels.
 * The option is used as given (series, axes, legend), without animation.
 */
export function chartSvg(option, { width = 640, height = 360 } = {}) {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
