import { forwardRef, useImperativeHandle, useRef, type PointerEvent } from 'react';

export interface SignaturePadHandle {
  /** The drawing as a PNG data URL, or null when nothing was drawn. */
  read(): string | null;
  clear(): void;
}

/**
 * An optional signature drawn with a finger, stylus or mouse. It is optional because it cannot be made
 * by keyboard: the adult's typed name is the acknowledgement, the drawing only adds to it.
 */
export const SignaturePad = forwardRef<SignaturePadHandle, { labelId: string }>(function SignaturePad({ labelId }, ref) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const drawn = useRef(false);

  useImperativeHandle(ref, () => ({
    read: () => (drawn.current && canvas.current ? canvas.current.toDataURL('image/png') : null),
    clear: () => {
      const c = canvas.current;
      c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
      drawn.current = false;
    },
  }));

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const c = event.currentTarget;
    const box = c.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * c.width) / box.width, y: ((event.clientY - box.top) * c.height) / box.height };
  };
  const down = (event: PointerEvent<HTMLCanvasElement>) => {
    const context = event.currentTarget.getContext('2d');
    if (!context) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = true;
    const { x, y } = point(event);
    context.lineWidth = 3;
    context.lineCap = 'round';
    context.strokeStyle = '#1b1b1b';
    context.beginPath();
    context.moveTo(x, y);
  };
  const move = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const context = event.currentTarget.getContext('2d');
    if (!context) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
    drawn.current = true;
  };
  const up = () => {
    drawing.current = false;
  };

  return (
    <canvas
      ref={canvas}
      className="signature-pad"
      width={600}
      height={180}
      role="img"
      aria-labelledby={labelId}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
    />
  );
});
