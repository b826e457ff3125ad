/**
 * The mixup case in the page: `Augments` mixes a batch of digits for a "teacher" call and a
 * "student" call, once without and once with a `MethodOutputsDelivery` on
 * `Augments.prototype.call` (object form, no module resolution needed in a browser).
 */
import * as tf from '@tensorflow/tfjs';
import { Augments, MethodOutputsDelivery, type Dataset } from 'tfjs-distill';

/** The outcome of one case: whether the two calls returned identical batches. */
export interface MixupCase {
  readonly imagesEqual: boolean;
  readonly labelsEqual: boolean;
}

/** What {@link runMixup} found, for `window.__distillResults.mixup`. */
export interface MixupResults {
  /** With the delivery: true when the student's batch is the teacher's. */
  readonly delivered: boolean;
  /** Without the delivery: true when the two calls happened to agree (expected false). */
  readonly undelivered: boolean;
}

const COUNT = 8;
const SIDE = 28;

function equal(a: tf.Tensor, b: tf.Tensor): boolean {
  return tf.tidy(
    () => a.shape.join() === b.shape.join() && tf.equal(a, b).all().dataSync()[0] === 1,
  );
}

/** Draws `images` ([N, 28, 28, 1] in [0, 1]) side by side on a new canvas, scaled 2x. */
function drawBatch(images: tf.Tensor): HTMLCanvasElement {
  const [n] = images.shape;
  const canvas = document.createElement('canvas');
  canvas.width = (n ?? 0) * (SIDE + 2);
  canvas.height = SIDE;
  canvas.style.width = `${canvas.width * 2}px`;
  canvas.style.height = `${canvas.height * 2}px`;
  const ctx = canvas.getContext('2d');
  const pixels = images.dataSync();
  if (ctx !== null) {
    const img = ctx.createImageData(canvas.width, canvas.height);
    for (let k = 0; k < (n ?? 0); k++) {
      for (let r = 0; r < SIDE; r++) {
        for (let c = 0; c < SIDE; c++) {
          const v =
            255 -
            Math.round(255 * Math.min(1, Math.max(0, pixels[k * SIDE * SIDE + r * SIDE + c]!)));
          const at = 4 * (r * canvas.width + k * (SIDE + 2) + c);
          img.data.set([v, v, v, 255], at);
        }
      }
    }
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.putImageData(img, 0, 0);
  }
  return canvas;
}

function row(label: string, batch: tf.Tensor): HTMLElement {
  const div = document.createElement('div');
  div.className = 'mixup-row';
  const span = document.createElement('span');
  span.textContent = label;
  div.append(span, drawBatch(batch));
  return div;
}

/**
 * Runs both cases on the first digits of `data`, draws the four batches into `container` and
 * reports whether each pair was equal. Disposes every tensor it makes.
 */
export function runMixup(data: Dataset, container: HTMLElement): MixupResults {
  const images = tf.tensor4d(data.images.subarray(0, COUNT * SIDE * SIDE), [COUNT, SIDE, SIDE, 1]);
  const labels = tf.tensor1d(data.labels.subarray(0, COUNT), 'int32');
  const augments = new Augments(
    { type: 'BatchMixup', alpha: 1, numClasses: 10, prob: 1 },
    { seed: 7 },
  );
  try {
    // Without a delivery: each call draws its own mixing weight and partner permutation.
    const [imgsT, labelsT] = augments.call(images, labels);
    const [imgsS, labelsS] = augments.call(images, labels);
    const undelivered = equal(imgsT, imgsS) && equal(labelsT, labelsS);

    // With a delivery: the teacher's call is recorded, the student's is answered from the queue.
    const delivery = new MethodOutputsDelivery({
      maxKeepData: 1,
      methodPath: { cls: Augments, name: 'call' },
    });
    delivery.overrideData = false;
    const [imgsDT, labelsDT] = delivery.run(() => augments.call(images, labels));
    delivery.overrideData = true;
    const [imgsDS, labelsDS] = delivery.run(() => augments.call(images, labels));
    const delivered = equal(imgsDT, imgsDS) && equal(labelsDT, labelsDS);

    container.replaceChildren(
      row('without delivery — teacher', imgsT),
      row(`without delivery — student (${undelivered ? 'same' : 'different'})`, imgsS),
      row('with delivery — teacher', imgsDT),
      row(`with delivery — student (${delivered ? 'same' : 'different'})`, imgsDS),
    );
    tf.dispose([imgsT, labelsT, imgsS, labelsS, imgsDT, labelsDT, imgsDS, labelsDS]);
    return { delivered, undelivered };
  } finally {
    tf.dispose([images, labels]);
  }
}
