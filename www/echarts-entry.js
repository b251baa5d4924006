// Entry point that www/build.mjs bundles into vendor/echarts.js: only the ECharts parts
// the explorer draws with (tree-shaken), so the page loads one local file and no CDN.
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart, LinesChart, SankeyChart } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  GraphicComponent,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  ScatterChart,
  LinesChart,
  SankeyChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  GraphicComponent,
  CanvasRenderer,
  // Exported images and the embed's static fallback are SVG, drawn off screen (chart-svg.js).
  SVGRenderer,
]);

export * from 'echarts/core';
