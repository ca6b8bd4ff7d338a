import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

// Only what the reports draw, so the bundle stays small.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  ArcElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
  Filler,
);

export const CHART_COLORS = {
  brand: "#2f5bea",
  bot: "#7c5cdb",
  amber: "#d89614",
  green: "#1f9d55",
  red: "#d64545",
  grey: "#98a2b3",
};

/**
 * Draws a Chart.js chart into a new canvas; the caller destroys it (`destroy()`)
 * before drawing again. Animations are off: reports redraw on every filter change.
 */
export function drawChart(config: ChartConfiguration, label: string): { canvas: HTMLCanvasElement; chart: Chart } {
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  const chart = new Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 11 } } }, ...config.options?.plugins },
    },
  } as ChartConfiguration);
  return { canvas, chart };
}
