import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#2f80ed', '#eb5757', '#27ae60', '#f2994a', '#9b51e0', '#56ccf2', '#bdbdbd'];

/** A uPlot time chart; `data[0]` holds unix seconds, the other arrays one series each. */
export function Chart({
  title,
  series,
  data,
  height = 180,
}: {
  title: string;
  series: string[];
  data: (number | null)[][];
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = series.join('|');
  // Redrawn when the system switches between light and dark, so the axes follow.
  const [scheme, setScheme] = useState(0);
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: dark)');
    const changed = () => setScheme((n) => n + 1);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  useEffect(() => {
    if (!box.current) return;
    const width = Math.max(280, box.current.clientWidth);
    // A canvas cannot use currentColor: the axes take the page's text colour (light or dark mode).
    const ink = getComputedStyle(box.current).color;
    const grid = { stroke: ink.replace('rgb(', 'rgba(').replace(')', ', 0.15)') };
    plot.current = new uPlot(
      {
        title,
        width,
        height,
        series: [{}, ...series.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length]!, width: 2 }))],
        axes: [
          { stroke: ink, grid, ticks: grid },
          { stroke: ink, grid, ticks: grid },
        ],
      },
      data as uPlot.AlignedData,
      box.current,
    );
    const resize = () =>
      plot.current?.setSize({ width: Math.max(280, box.current?.clientWidth ?? width), height });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
    // A new chart only when the series change; new data goes through setData below.
  }, [key, title, scheme]);
  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);
  return <div class="chart" ref={box} role="img" aria-label={`${title} chart`} />;
}
