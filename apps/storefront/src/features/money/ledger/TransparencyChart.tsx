import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ChartSpec } from './transparency-charts';

// Only the parts used here (bars, lines, axes, tooltip, legend, the accessible description, SVG): this module is
// its own chunk, imported with React.lazy once the page has its figures, so ECharts is never in a first load.
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

/** One Apache ECharts chart of a ChartSpec: bars (or a line) by category, tooltips in yuan, hidden groups as gaps. */
export default function TransparencyChart({ spec, label }: { spec: ChartSpec; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = el.current;
    if (!node) return undefined;
    const chart = echarts.init(node, undefined, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true, label: { description: label } },
      animation: false,
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (v: unknown) => (typeof v === 'number' ? spec.format(v) : spec.hiddenText),
      },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { fontSize: 11 } },
      yAxis: {
        type: 'value',
        minInterval: spec.unit === 'fen' ? 100 : 1,
        axisLabel: { fontSize: 11, formatter: (v: number) => spec.axisFormat(v) },
      },
      series: spec.series.map((s) => ({
        name: s.name,
        type: spec.kind,
        data: s.data,
        itemStyle: { color: s.color },
        lineStyle: spec.kind === 'line' ? { color: s.color } : undefined,
        step: spec.kind === 'line' ? 'end' : undefined,
        barMaxWidth: 18,
        connectNulls: false,
      })),
    });
    const resize = () => chart.resize();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(resize);
    observer?.observe(node);
    return () => {
      observer?.disconnect();
      chart.dispose();
    };
  }, [spec, label]);
  return <div ref={el} className="transparency-chart__canvas" aria-hidden="true" data-testid="echart" />;
}
