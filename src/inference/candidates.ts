// A growable structure-of-arrays of candidate boxes: what decoders emit and NMS consumes. Typed
// arrays, reused across images, so the per-frame hot path allocates nothing once warm.

export class CandidateBuffer {
  /** x1, y1, x2, y2 per candidate, in model-input pixels. */
  boxes = new Float32Array(4 * 256);
  scores = new Float32Array(256);
  classes = new Int32Array(256);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  /** Appends one box given by corners. */
  push(x1: number, y1: number, x2: number, y2: number, score: number, classId: number): void {
    if (this.count === this.scores.length) this.#grow();
    const i = this.count++;
    const b = 4 * i;
    this.boxes[b] = x1;
    this.boxes[b + 1] = y1;
    this.boxes[b + 2] = x2;
    this.boxes[b + 3] = y2;
    this.scores[i] = score;
    this.classes[i] = classId;
  }

  /** Appends one box given by centre and size. */
  pushCenter(cx: number, cy: number, w: number, h: number, score: number, classId: number): void {
    this.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, classId);
  }

  #grow(): void {
    const n = this.scores.length * 2;
    const boxes = new Float32Array(4 * n);
    boxes.set(this.boxes);
    const scores = new Float32Array(n);
    scores.set(this.scores);
    const classes = new Int32Array(n);
    classes.set(this.classes);
    this.boxes = boxes;
    this.scores = scores;
    this.classes = classes;
  }
}
