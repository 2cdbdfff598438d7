/**
 * Audible confirmation at a noisy distribution table: a short high tone when a device is issued or
 * returned, a two-note rise for a student card, a low double buzz for a refusal. Web Audio, no files.
 */
export type Beep = 'student' | 'issued' | 'returned' | 'refused';

const TONES: Record<Beep, { frequency: number; type: OscillatorType; at: number; length: number }[]> = {
  student: [
    { frequency: 660, type: 'sine', at: 0, length: 0.08 },
    { frequency: 880, type: 'sine', at: 0.09, length: 0.08 },
  ],
  issued: [{ frequency: 1046, type: 'sine', at: 0, length: 0.15 }],
  returned: [{ frequency: 784, type: 'sine', at: 0, length: 0.15 }],
  refused: [
    { frequency: 196, type: 'square', at: 0, length: 0.16 },
    { frequency: 196, type: 'square', at: 0.22, length: 0.16 },
  ],
};

let context: AudioContext | null = null;

export function beep(kind: Beep): void {
  try {
    // Browsers allow audio only after a gesture; a scanner's keystrokes are one.
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const now = context.currentTime;
    for (const tone of TONES[kind]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = tone.type;
      oscillator.frequency.value = tone.frequency;
      gain.gain.setValueAtTime(0.2, now + tone.at);
      gain.gain.exponentialRampToValueAtTime(0.001, now + tone.at + tone.length);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(now + tone.at);
      oscillator.stop(now + tone.at + tone.length);
    }
  } catch {
    // No audio device: the visual confirmation and the live region still say it.
  }
}
