/**
 * A recording 2d canvas context for tests where no canvas draws (jsdom, miniprogram-simulate): the
 * standard CanvasRenderingContext2D methods, each call logged with the fill and stroke style in
 * force, so a test can count what a chart library drew in which colour.
 */
export interface CanvasCall {
  op: string;
  fillStyle: string;
  strokeStyle: string;
  font: string;
  args: unknown[];
}

const METHODS = [
  'arc',
  'arcTo',
  'beginPath',
  'bezierCurveTo',
  'clearRect',
  'clip',
  'closePath',
  'drawImage',
  'fill',
  'fillRect',
  'fillText',
  'lineTo',
  'moveTo',
  'quadraticCurveTo',
  'rect',
  'restore',
  'rotate',
  'save',
  'scale',
  'setLineDash',
  'setTransform',
  'stroke',
  'strokeRect',
  'strokeText',
  'transform',
  'translate',
] as const;

export interface RecordingContext {
  fillStyle: string;
  strokeStyle: string;
  font: string;
  lineWidth: number;
  measureText(text: string): { width: number };
  createLinearGradient(): { addColorStop(): void };
  [method: string]: unknown;
}

/** A context that records its calls (text measured at 0.6 em per character). */
export function recordingContext(): { ctx: RecordingContext; calls: CanvasCall[] } {
  const calls: CanvasCall[] = [];
  const ctx: RecordingContext = {
    fillStyle: '#000000',
    strokeStyle: '#000000',
    font: '10px sans-serif',
    lineWidth: 1,
    measureText: (text: string) => ({ width: String(text).length * 6 }),
    createLinearGradient: () => ({ addColorStop() {} }),
  };
  for (const m of METHODS)
    ctx[m] = (...args: unknown[]) => {
      calls.push({
        op: m,
        fillStyle: String(ctx.fillStyle),
        strokeStyle: String(ctx.strokeStyle),
        font: String(ctx.font),
        args,
      });
    };
  return { ctx, calls };
}

/** A canvas node as the mini-program's `Canvas type="2d"` gives it: width, height, getContext. */
export function recordingCanvas(): {
  node: { width: number; height: number; getContext(kind: string): RecordingContext };
  calls: CanvasCall[];
} {
  const { ctx, calls } = recordingContext();
  return { node: { width: 300, height: 150, getContext: () => ctx }, calls };
}

/** How many `op` calls were made in `color` (fill ops by fillStyle, the others by strokeStyle). */
export function countIn(calls: CanvasCall[], op: string, color: string): number {
  const fillOps = new Set(['fill', 'fillRect', 'fillText']);
  return calls.filter(
    (c) =>
      c.op === op && (fillOps.has(op) ? c.fillStyle : c.strokeStyle).toLowerCase() === color.toLowerCase(),
  ).length;
}
