/// <amd-module name="physician-network/redaction-editor"/>
/**
 * The redaction editor in the composer. Images a member adds (file picker, drag and drop,
 * paste) are caught before the composer sees them; the member hides faces, names and labels
 * with solid black or coarse pixels, and only the flattened, freshly encoded result goes on to
 * the composer's upload. The original never leaves the device, and a fresh canvas encode
 * carries no EXIF, GPS or XMP.
 */
import translator = require('translator');
import alerts = require('alerts');

export type FillMode = 'black' | 'pixelate';

export interface Rect { x: number; y: number; w: number; h: number }

export interface EditorOptions {
  /** In clinical categories the editor cannot be skipped and the confirmation is required. */
  clinical: boolean;
}

export interface EditorResult {
  file: File;
  /** The member ticked "This image shows nothing that identifies a patient". */
  confirmed: boolean;
}

// ---------------------------------------------------------------------------
// Pixels

/** Pixelation blocks are at least 1/24 of the shorter side: coarse enough that nothing can be read back. */
export function pixelBlockSize(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.min(width, height) / 24));
}

/** Whole pixels, inside the image, never empty-negative. */
export function clampRect(rect: Rect, width: number, height: number): Rect {
  const x0 = Math.max(0, Math.min(width, Math.floor(Math.min(rect.x, rect.x + rect.w))));
  const y0 = Math.max(0, Math.min(height, Math.floor(Math.min(rect.y, rect.y + rect.h))));
  const x1 = Math.max(0, Math.min(width, Math.ceil(Math.max(rect.x, rect.x + rect.w))));
  const y1 = Math.max(0, Math.min(height, Math.ceil(Math.max(rect.y, rect.y + rect.h))));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

function pixelate(ctx: CanvasRenderingContext2D, rect: Rect, block: number): void {
  const image = ctx.getImageData(rect.x, rect.y, rect.w, rect.h);
  const { data } = image;
  for (let by = 0; by < rect.h; by += block) {
    for (let bx = 0; bx < rect.w; bx += block) {
      const xEnd = Math.min(rect.w, bx + block);
      const yEnd = Math.min(rect.h, by + block);
      const sum = [0, 0, 0, 0];
      let count = 0;
      for (let y = by; y < yEnd; y++) {
        for (let x = bx; x < xEnd; x++) {
          const i = (y * rect.w + x) * 4;
          for (let c = 0; c < 4; c++) {
            sum[c] = (sum[c] ?? 0) + (data[i + c] ?? 0);
          }
          count++;
        }
      }
      const mean = sum.map(s => Math.round(s / count));
      for (let y = by; y < yEnd; y++) {
        for (let x = bx; x < xEnd; x++) {
          const i = (y * rect.w + x) * 4;
          for (let c = 0; c < 4; c++) {
            data[i + c] = mean[c] ?? 0;
          }
        }
      }
    }
  }
  ctx.putImageData(image, rect.x, rect.y);
}

/** Destroys the pixels under each rectangle, in order, on the given context. */
export function applyRedactions(ctx: CanvasRenderingContext2D, rects: readonly Rect[], mode: FillMode): void {
  const { width, height } = ctx.canvas;
  const block = pixelBlockSize(width, height);
  for (const raw of rects) {
    const rect = clampRect(raw, width, height);
    if (rect.w === 0 || rect.h === 0) {
      continue;
    }
    if (mode === 'pixelate') {
      pixelate(ctx, rect, block);
    } else {
      ctx.save();
      ctx.globalCompositeOperation = 'source-over';
      ctx.globalAlpha = 1;
      ctx.fillStyle = '#000000';
      ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
      ctx.restore();
    }
  }
}

/** JPEG stays JPEG (quality 0.9); everything else becomes PNG, which keeps pixels exact. */
export function outputTypeFor(file: Blob): 'image/jpeg' | 'image/png' {
  return file.type === 'image/jpeg' || file.type === 'image/jpg' || file.type === 'image/pjpeg' ? 'image/jpeg' : 'image/png';
}

/** The same name with the extension the new encoding needs. */
export function outputNameFor(name: string, type: 'image/jpeg' | 'image/png'): string {
  const ext = type === 'image/jpeg' ? '.jpg' : '.png';
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  if (type === 'image/jpeg' && /\.jpe?g$/i.test(name)) {
    return name;
  }
  return `${base || 'image'}${ext}`;
}

export async function decodeImage(file: Blob): Promise<ImageBitmap> {
  // 'from-image' applies the EXIF orientation, so the member sees (and we export) the upright photo.
  return createImageBitmap(file, { imageOrientation: 'from-image' });
}

/** The flattened image: original pixels with every redaction burnt in, freshly encoded. */
export async function exportRedacted(bitmap: ImageBitmap, rects: readonly Rect[], mode: FillMode, source: File, neutralName = 'image'): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    throw new Error('no 2d context');
  }
  ctx.drawImage(bitmap, 0, 0);
  applyRedactions(ctx, rects, mode);
  const type = outputTypeFor(source);
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, type, type === 'image/jpeg' ? 0.9 : undefined);
  });
  canvas.width = 0;
  canvas.height = 0;
  if (!blob) {
    throw new Error('encode failed');
  }
  // The member's file name may carry a patient's name: the composer's link text gets a neutral word instead.
  return new File([blob], outputNameFor(neutralName, type), { type, lastModified: Date.now() });
}

// ---------------------------------------------------------------------------
// The editor dialog

let dialogCount = 0;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    el.setAttribute(name, value);
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

async function t(key: string, ...args: (string | number)[]): Promise<string> {
  return translator.translate(translator.compile(`physician-network:${key}`, ...args));
}

async function strings(): Promise<Record<string, string>> {
  const keys = ['title', 'intro', 'keys', 'canvas-label', 'fill', 'fill-black', 'fill-pixelate', 'undo', 'confirm',
    'confirm-required', 'upload', 'skip', 'cancel'];
  const values = await Promise.all(keys.map(async key => t(`redaction.editor.${key}`)));
  return Object.fromEntries(keys.map((key, i) => [key, values[i] ?? key]));
}

/** The dialog's elements: built once, wired by the editing session. */
interface EditorDialog {
  modal: HTMLDivElement;
  backdrop: HTMLDivElement;
  canvas: HTMLCanvasElement;
  fillInputs: HTMLInputElement[];
  undoButton: HTMLButtonElement;
  status: HTMLSpanElement;
  confirmBox: HTMLInputElement;
  cancelButton: HTMLButtonElement;
  skipButton: HTMLButtonElement;
  uploadButton: HTMLButtonElement;
}

/** The fill choice (black or pixelate), the undo button and the live count of areas. */
function buildTools(id: string, s: Record<string, string>, initialStatus: string): { tools: HTMLDivElement; fillInputs: HTMLInputElement[]; undoButton: HTMLButtonElement; status: HTMLSpanElement } {
  const tools = element('div', { class: 'd-flex flex-wrap gap-3 align-items-center mb-3' });
  const fieldset = element('fieldset', { class: 'd-flex gap-3 align-items-center' });
  fieldset.append(element('legend', { class: 'form-label fs-6 mb-0 me-2 float-none w-auto' }, s.fill));
  const fillInputs: HTMLInputElement[] = [];
  for (const [value, label] of [['black', s['fill-black']], ['pixelate', s['fill-pixelate']]] as const) {
    const wrap = element('div', { class: 'form-check form-check-inline mb-0' });
    const input = element('input', { class: 'form-check-input', type: 'radio', name: `${id}-fill`, id: `${id}-fill-${value}`, value });
    input.checked = value === 'black';
    fillInputs.push(input);
    wrap.append(input, element('label', { class: 'form-check-label', for: `${id}-fill-${value}` }, label));
    fieldset.append(wrap);
  }
  const undoButton = element('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm', 'data-action': 'undo' }, s.undo);
  const status = element('span', { class: 'form-text', role: 'status', 'aria-live': 'polite' }, initialStatus);
  tools.append(fieldset, undoButton, status);
  return { tools, fillInputs, undoButton, status };
}

/** The dialog (Bootstrap 5 modal classes; shown without Bootstrap's JS so it works on any page). */
function buildEditorDialog(id: string, s: Record<string, string>, fileLine: string, initialStatus: string, size: { width: number; height: number }, clinical: boolean): EditorDialog {
  const modal = element('div', {
    class: 'modal fade show d-block physician-network-redaction', tabindex: '-1', role: 'dialog',
    'aria-modal': 'true', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-intro`,
  });
  const dialog = element('div', { class: 'modal-dialog modal-xl modal-dialog-scrollable' });
  const content = element('div', { class: 'modal-content' });
  const header = element('div', { class: 'modal-header' });
  header.append(element('h2', { class: 'modal-title fs-5', id: `${id}-title` }, s.title));
  const body = element('div', { class: 'modal-body' });
  body.append(
    element('p', { id: `${id}-intro` }, s.intro),
    element('p', { class: 'form-text', id: `${id}-keys` }, s.keys),
    element('p', { class: 'form-text text-break' }, fileLine),
  );
  const canvas = element('canvas', {
    class: 'physician-network-redaction-canvas', tabindex: '0', role: 'img',
    'aria-label': s['canvas-label'] ?? '', 'aria-describedby': `${id}-keys`,
  });
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.style.touchAction = 'none';
  const canvasWrap = element('div', { class: 'physician-network-redaction-stage mb-3' });
  canvasWrap.append(canvas);
  body.append(canvasWrap);

  const { tools, fillInputs, undoButton, status } = buildTools(id, s, initialStatus);
  body.append(tools);

  const confirmWrap = element('div', { class: 'form-check' });
  const confirmBox = element('input', { class: 'form-check-input', type: 'checkbox', id: `${id}-confirm`, name: 'noPatientIdentifiers' });
  confirmWrap.append(confirmBox, element('label', { class: 'form-check-label', for: `${id}-confirm` }, s.confirm));
  body.append(confirmWrap);
  if (clinical) {
    confirmBox.required = true;
    confirmBox.setAttribute('aria-describedby', `${id}-confirm-help`);
    body.append(element('p', { class: 'form-text', id: `${id}-confirm-help` }, s['confirm-required']));
  }

  const footer = element('div', { class: 'modal-footer' });
  const cancelButton = element('button', { type: 'button', class: 'btn btn-link', 'data-action': 'cancel' }, s.cancel);
  const skipButton = element('button', { type: 'button', class: 'btn btn-outline-secondary', 'data-action': 'skip' }, s.skip);
  const uploadButton = element('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'upload' }, s.upload);
  footer.append(cancelButton);
  if (!clinical) {
    footer.append(skipButton);
  }
  footer.append(uploadButton);
  content.append(header, body, footer);
  dialog.append(content);
  modal.append(dialog);
  const backdrop = element('div', { class: 'modal-backdrop fade show' });
  return { modal, backdrop, canvas, fillInputs, undoButton, status, confirmBox, cancelButton, skipButton, uploadButton };
}

/** One image being redacted: the areas drawn so far, the fill, the keyboard selection and a drag in progress. */
class RedactionSession {
  readonly rects: Rect[] = [];
  mode: FillMode = 'black';
  private readonly width: number;
  private readonly height: number;
  private readonly step: number;
  private selection: Rect;
  private drag: { x: number; y: number; pointerId: number } | null = null;
  private dragRect: Rect | null = null;

  constructor(
    private readonly bitmap: ImageBitmap,
    private readonly ctx: CanvasRenderingContext2D,
    private readonly ui: EditorDialog,
    private readonly clinical: boolean,
    private readonly areasText: (n: number) => Promise<string>,
  ) {
    ({ width: this.width, height: this.height } = bitmap);
    const { width, height } = this;
    this.step = Math.max(1, Math.round(Math.min(width, height) / 50));
    this.selection = { x: Math.round(width * 3 / 8), y: Math.round(height * 3 / 8), w: Math.max(1, Math.round(width / 4)), h: Math.max(1, Math.round(height / 4)) };
  }

  draw(): void {
    const { ctx, width, height } = this;
    ctx.drawImage(this.bitmap, 0, 0);
    applyRedactions(ctx, this.rects, this.mode);
    const lineWidth = Math.max(2, Math.round(Math.min(width, height) / 200));
    ctx.save();
    ctx.lineWidth = lineWidth;
    ctx.setLineDash([lineWidth * 3, lineWidth * 2]);
    const outline = this.dragRect ?? (document.activeElement === this.ui.canvas ? this.selection : null);
    if (outline) {
      const r = clampRect(outline, width, height);
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(r.x, r.y, r.w, r.h);
      ctx.strokeStyle = '#d00000';
      ctx.lineDashOffset = lineWidth * 2;
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
    ctx.restore();
  }

  syncControls(): void {
    this.ui.undoButton.disabled = this.rects.length === 0;
    this.ui.uploadButton.disabled = this.clinical && !this.ui.confirmBox.checked;
    void this.areasText(this.rects.length).then((text) => { this.ui.status.textContent = text; });
  }

  addRect(rect: Rect): void {
    const r = clampRect(rect, this.width, this.height);
    if (r.w > 0 && r.h > 0) {
      this.rects.push(r);
      this.syncControls();
      this.draw();
    }
  }

  undo(): void {
    if (this.rects.pop()) {
      this.syncControls();
      this.draw();
    }
  }

  private toImage(event: PointerEvent): { x: number; y: number } {
    const box = this.ui.canvas.getBoundingClientRect();
    return {
      x: Math.max(0, Math.min(this.width, (event.clientX - box.left) * this.width / (box.width || 1))),
      y: Math.max(0, Math.min(this.height, (event.clientY - box.top) * this.height / (box.height || 1))),
    };
  }

  pointerDown(event: PointerEvent): void {
    if (event.button !== 0) {
      return;
    }
    event.preventDefault();
    const { canvas } = this.ui;
    canvas.focus();
    const at = this.toImage(event);
    this.drag = { ...at, pointerId: event.pointerId };
    this.dragRect = { x: at.x, y: at.y, w: 0, h: 0 };
    try {
      canvas.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers (tests, some assistive tools) cannot be captured; moves still arrive on the canvas.
    }
  }

  pointerMove(event: PointerEvent): void {
    const { drag } = this;
    if (drag?.pointerId !== event.pointerId) {
      return;
    }
    const at = this.toImage(event);
    this.dragRect = { x: drag.x, y: drag.y, w: at.x - drag.x, h: at.y - drag.y };
    this.draw();
  }

  endDrag(event: PointerEvent): void {
    const { drag } = this;
    if (drag?.pointerId !== event.pointerId) {
      return;
    }
    const at = this.toImage(event);
    const rect = { x: drag.x, y: drag.y, w: at.x - drag.x, h: at.y - drag.y };
    this.drag = null;
    this.dragRect = null;
    if (event.type === 'pointerup') {
      const r = clampRect(rect, this.width, this.height);
      // The keyboard selection follows the last drawn area, so it can be adjusted from there.
      if (r.w > 0 && r.h > 0) {
        this.selection = r;
      }
      this.addRect(rect);
    } else {
      this.draw();
    }
  }

  keyDown(event: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    const { width, height, step, selection } = this;
    if (move) {
      event.preventDefault();
      const [dx, dy] = move;
      if (event.shiftKey) {
        this.selection = { ...selection, w: Math.max(1, Math.min(width - selection.x, selection.w + dx * step)), h: Math.max(1, Math.min(height - selection.y, selection.h + dy * step)) };
      } else {
        this.selection = { ...selection, x: Math.max(0, Math.min(width - selection.w, selection.x + dx * step)), y: Math.max(0, Math.min(height - selection.h, selection.y + dy * step)) };
      }
      this.draw();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.addRect(selection);
    }
  }

  /** Drawing by pointer and keyboard, the fill choice, undo and the confirmation box. */
  listen(): void {
    const { canvas, fillInputs, undoButton, confirmBox } = this.ui;
    for (const input of fillInputs) {
      input.addEventListener('change', () => {
        if (input.checked) {
          this.mode = input.value as FillMode;
          this.draw();
        }
      });
    }
    canvas.addEventListener('pointerdown', (event) => { this.pointerDown(event); });
    canvas.addEventListener('pointermove', (event) => { this.pointerMove(event); });
    canvas.addEventListener('pointerup', (event) => { this.endDrag(event); });
    canvas.addEventListener('pointercancel', (event) => { this.endDrag(event); });
    canvas.addEventListener('focus', () => { this.draw(); });
    canvas.addEventListener('blur', () => { this.draw(); });
    canvas.addEventListener('keydown', (event) => { this.keyDown(event); });
    undoButton.addEventListener('click', () => { this.undo(); });
    confirmBox.addEventListener('change', () => { this.syncControls(); });
    this.syncControls();
    this.draw();
  }
}

/** Ctrl/Cmd+Z undoes, Escape cancels, and Tab keeps focus inside the dialog. */
function dialogKeys(modal: HTMLElement, session: RedactionSession, cancel: () => void): void {
  modal.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      session.undo();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (event.key === 'Tab') {
      const focusable = Array.from(modal.querySelectorAll<HTMLElement>('canvas, input, button:not([disabled])'));
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
    }
  });
}

/** Waits for the member's choice: upload (redacted), skip (re-encoded, no areas), or cancel. */
async function memberChoice(ui: EditorDialog, session: RedactionSession, bitmap: ImageBitmap, file: File, clinical: boolean): Promise<EditorResult | null> {
  return new Promise<EditorResult | null>((resolve) => {
    let busy = false;
    const finish = (redactions: readonly Rect[]): void => {
      if (busy) {
        return;
      }
      busy = true;
      t('redaction.neutral-image-name').then(word => exportRedacted(bitmap, redactions, session.mode, file, word)).then((out) => {
        resolve({ file: out, confirmed: ui.confirmBox.checked });
      }, () => {
        alerts.error('[[physician-network:error.redaction-editor-unreadable]]');
        resolve(null);
      });
    };
    ui.uploadButton.addEventListener('click', () => {
      if (clinical && !ui.confirmBox.checked) {
        ui.confirmBox.focus();
        return;
      }
      finish(session.rects);
    });
    // Skipping still re-encodes through a canvas: no metadata leaves the device either way.
    ui.skipButton.addEventListener('click', () => { finish([]); });
    ui.cancelButton.addEventListener('click', () => { resolve(null); });
    dialogKeys(ui.modal, session, () => { resolve(null); });
    ui.canvas.focus();
  });
}

/**
 * Opens the editor for one image. Resolves with the redacted file, or null when the member
 * chose not to add the image (or it could not be decoded: then nothing is uploaded).
 */
export async function openRedactionEditor(file: File, options: EditorOptions): Promise<EditorResult | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await decodeImage(file);
  } catch {
    alerts.error('[[physician-network:error.redaction-editor-unreadable]]');
    return null;
  }
  const s = await strings();
  const fileLine = await t('redaction.editor.file', file.name);
  const areasText = async (n: number): Promise<string> => t('redaction.editor.areas', n);
  dialogCount++;
  const ui = buildEditorDialog(`pn-redaction-${dialogCount}`, s, fileLine, await areasText(0), bitmap, options.clinical);
  const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(ui.backdrop, ui.modal);
  document.body.classList.add('modal-open');

  const close = (): void => {
    ui.modal.remove();
    ui.backdrop.remove();
    if (!document.querySelector('.physician-network-redaction')) {
      document.body.classList.remove('modal-open');
    }
    previouslyFocused?.focus();
  };
  const ctx = ui.canvas.getContext('2d');
  if (!ctx) {
    close();
    alerts.error('[[physician-network:error.redaction-editor-unreadable]]');
    return null;
  }
  const session = new RedactionSession(bitmap, ctx, ui, options.clinical, areasText);
  session.listen();
  const result = await memberChoice(ui, session, bitmap, file, options.clinical);
  close();
  bitmap.close();
  return result;
}

// ---------------------------------------------------------------------------
// Catching images on their way into the composer

interface PluginConfig { physicianNetwork?: { clinicalCids?: (string | number)[] } }
interface CategoryList { getSelectedCid(): string | number | undefined }
interface HookData { composerEl?: { get?(i: number): HTMLElement | undefined }; composerData?: Record<string, unknown> }
interface Hooks { on(name: string, listener: (data: HookData) => HookData | Promise<HookData>): void }
interface AppGlobal { require(name: string): Promise<unknown> }

function globals(): { config?: PluginConfig; app?: AppGlobal; ajaxify?: { data?: Record<string, unknown> } } {
  return window as unknown as { config?: PluginConfig; app?: AppGlobal; ajaxify?: { data?: Record<string, unknown> } };
}

const IMAGE_NAME = /\.(jpe?g|png|gif|webp|avif|bmp|tiff?|heic|heif)$/i;

/** An image by its declared type or, when the type is empty, by its name. SVG is refused by the server anyway. */
export function isRedactableImage(file: File): boolean {
  if (file.type === 'image/svg+xml') {
    return false;
  }
  return file.type.startsWith('image/') || (file.type === '' && IMAGE_NAME.test(file.name));
}

async function selectedCid(): Promise<string | undefined> {
  const { app, ajaxify } = globals();
  let cid: unknown;
  try {
    const categoryList = app ? await app.require('composer/categoryList') as CategoryList : undefined;
    cid = categoryList?.getSelectedCid();
  } catch {
    cid = undefined;
  }
  if (!cid && cid !== 0) {
    cid = ajaxify?.data?.cid;
  }
  return typeof cid === 'string' || typeof cid === 'number' ? String(cid) : undefined;
}

/**
 * Clinical when the selected category is on the list, and also when the list is not empty but
 * the category cannot be told: the strict choice costs one tick, the other could cost a patient.
 */
export async function isClinicalContext(): Promise<boolean> {
  const list = (globals().config?.physicianNetwork?.clinicalCids ?? []).map(String);
  if (list.length === 0) {
    return false;
  }
  const cid = await selectedCid();
  return cid === undefined || cid === '0' || list.includes(cid);
}

/** Per composer (data-uuid): images added, and how many of them the member confirmed. */
const confirmations = new Map<string, { images: number; confirmed: number }>();

/** Whether every image the member added in this composer was confirmed (true when none was added). */
export function composerConfirmed(uuid: string): boolean {
  const state = confirmations.get(uuid);
  return !state || state.confirmed === state.images;
}

function record(uuid: string, confirmed: boolean): void {
  const state = confirmations.get(uuid) ?? { images: 0, confirmed: 0 };
  state.images++;
  if (confirmed) {
    state.confirmed++;
  }
  confirmations.set(uuid, state);
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs the editor over each image in turn; other files pass untouched, in their places. */
async function redactAll(files: File[], composer: HTMLElement): Promise<File[]> {
  const clinical = await isClinicalContext();
  const uuid = composer.getAttribute('data-uuid') ?? '';
  const out: File[] = [];
  for (const file of files) {
    if (!isRedactableImage(file)) {
      out.push(file);
      continue;
    }
    // One editor at a time, in order.
    const result = await openRedactionEditor(file, { clinical });
    if (result) {
      record(uuid, result.confirmed);
      out.push(result.file);
    }
  }
  return out;
}

function transferOf(files: readonly File[]): DataTransfer {
  const transfer = new DataTransfer();
  for (const file of files) {
    transfer.items.add(file);
  }
  return transfer;
}

/** Events we dispatched ourselves, carrying only redacted images: they go through to the composer. */
const ours = new WeakSet<Event>();

function composerOf(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('.composer') : null;
}

function enqueue(work: () => Promise<void>): void {
  queue = queue.then(work, work).catch(() => {
    alerts.error('[[physician-network:error.redaction-editor-unreadable]]');
  });
}

/**
 * Redact the files (in the queue, one dialogue at a time), then hand the composer the same
 * kind of event again carrying the redacted files; our own event passes the listeners untouched.
 */
function redactThenRedispatch(files: File[], composer: HTMLElement, target: Element, eventCarrying: (transfer: DataTransfer) => Event): void {
  enqueue(async () => {
    const redacted = await redactAll(files, composer);
    if (redacted.length === 0) {
      return;
    }
    const again = eventCarrying(transferOf(redacted));
    ours.add(again);
    target.dispatchEvent(again);
  });
}

function onChange(event: Event): void {
  const input = event.target;
  if (ours.has(event) || !(input instanceof HTMLInputElement) || input.type !== 'file' || input.id !== 'files') {
    return;
  }
  const composer = composerOf(input);
  const files = Array.from(input.files ?? []);
  if (!composer || !files.some(isRedactableImage)) {
    return;
  }
  event.stopImmediatePropagation();
  enqueue(async () => {
    const redacted = await redactAll(files, composer);
    if (redacted.length === 0) {
      input.value = '';
      return;
    }
    input.files = transferOf(redacted).files;
    const again = new Event('change', { bubbles: true });
    ours.add(again);
    input.dispatchEvent(again);
  });
}

function onDrop(event: DragEvent): void {
  const target = event.target;
  const composer = composerOf(target);
  const files = Array.from(event.dataTransfer?.files ?? []);
  if (ours.has(event) || !composer || !(target instanceof Element) || !files.some(isRedactableImage)) {
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
  // The composer hides its drop overlay in the handler we just stopped.
  const overlay = target.closest<HTMLElement>('.imagedrop');
  if (overlay) {
    overlay.style.display = 'none';
  }
  redactThenRedispatch(files, composer, target, transfer => new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
}

function onPaste(event: ClipboardEvent): void {
  const target = event.target;
  const composer = composerOf(target);
  if (ours.has(event) || !composer || !(target instanceof Element) || !event.clipboardData) {
    return;
  }
  // Files must be taken now: the clipboard is unreadable once the event is over.
  const files = Array.from(event.clipboardData.items)
    .filter(item => item.kind === 'file')
    .map(item => item.getAsFile())
    .filter((file): file is File => file !== null);
  if (!files.some(isRedactableImage)) {
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
  redactThenRedispatch(files, composer, target, transfer => new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer }));
}

function uuidOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** What the composer tells `action:composer.upload` about each finished upload. */
export interface FinishedUpload { filename?: unknown; url?: unknown; isImage?: unknown }

/**
 * The composer writes each upload as `[<file name>](<url>)` (an image with `!`), its file name
 * being the member's own. Once the upload has answered, that text becomes a neutral word, so no
 * part of the original name reaches the post, its alt text or a draft.
 */
export function neutraliseUploadLabels(text: string, uploads: readonly FinishedUpload[], words: { image: string; file: string }): string {
  let out = text;
  for (const upload of uploads) {
    if (typeof upload.filename !== 'string' || typeof upload.url !== 'string' || upload.filename === '') {
      continue;
    }
    const word = upload.isImage === true ? words.image : words.file;
    out = out.split(`[${upload.filename}](${upload.url})`).join(`[${word}](${upload.url})`);
  }
  return out;
}

async function neutraliseComposerText(data: unknown): Promise<void> {
  const { post_uuid: uuid, files } = (data ?? {}) as { post_uuid?: unknown; files?: unknown };
  if (!Array.isArray(files) || (typeof uuid !== 'string' && typeof uuid !== 'number')) {
    return;
  }
  const textarea = document.querySelector<HTMLTextAreaElement>(`.composer[data-uuid="${CSS.escape(String(uuid))}"] textarea`);
  if (!textarea) {
    return;
  }
  const text = neutraliseUploadLabels(textarea.value, files as FinishedUpload[], await neutralWords());
  if (text !== textarea.value) {
    textarea.value = text;
    // The composer re-renders its preview (and saves its draft) on input.
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** What core's uploadHelpers hands its callers' callback: the stored address, and the File's own name. */
interface HelperUpload { filename?: unknown; isImage?: unknown; url?: unknown }
interface HelperOptions { callback?: (uploads: HelperUpload[] | undefined) => void; [key: string]: unknown }
export interface UploadHelpers { ajaxSubmit(options: HelperOptions): unknown }

const neutralised = new WeakSet<UploadHelpers>();

/**
 * Chat messages and the topic's quick reply upload through core's uploadHelpers, whose callers
 * write `[<the File's name>](<url>)` into the message as soon as the upload answers: the name is
 * swapped for the neutral word before they see it. The wrapper is installed on the module
 * object, which every upload looks up afresh, so it holds for pages opened before or after it.
 */
export function neutraliseUploadHelpers(helpers: UploadHelpers, words: () => Promise<{ image: string; file: string }>): void {
  if (neutralised.has(helpers)) {
    return;
  }
  neutralised.add(helpers);
  const submit = helpers.ajaxSubmit.bind(helpers);
  helpers.ajaxSubmit = (options: HelperOptions) => {
    const callback = options.callback;
    return submit(callback ? {
      ...options,
      callback: (uploads) => {
        void words().then(({ image, file }) => {
          for (const upload of uploads ?? []) {
            upload.filename = upload.isImage === true ? image : file;
          }
          callback(uploads);
        });
      },
    } : options);
  };
}

async function neutralWords(): Promise<{ image: string; file: string }> {
  const [image, file] = await Promise.all([t('redaction.neutral-image-name'), t('redaction.neutral-file-name')]);
  return { image, file };
}

let installed = false;

/**
 * Listens in the capture phase on the document, ahead of the composer's own handlers, and adds
 * the confirmation to the composer's submission for the server's check.
 */
export function installComposerGuard(doc: Document = document, hooks?: Hooks): void {
  if (installed) {
    return;
  }
  installed = true;
  doc.addEventListener('change', onChange, true);
  doc.addEventListener('drop', onDrop, true);
  doc.addEventListener('paste', onPaste, true);
  // The composer announces finished uploads on jQuery's window events, not through the hooks module.
  if (typeof $ === 'function') {
    $(window).on('action:composer.upload', (_event, data) => { void neutraliseComposerText(data); });
  }
  void globals().app?.require('uploadHelpers').then((helpers) => {
    if (helpers && typeof (helpers as Partial<UploadHelpers>).ajaxSubmit === 'function') {
      neutraliseUploadHelpers(helpers as UploadHelpers, neutralWords);
    }
  }, () => { /* a page without uploadHelpers has no chat or quick reply uploads */ });
  hooks?.on('filter:composer.submit', (data) => {
    const uuid = data.composerEl?.get?.(0)?.getAttribute('data-uuid') ?? uuidOf(data.composerData?.uuid);
    if (data.composerData) {
      data.composerData.physicianNetworkNoPatientIdentifiers = composerConfirmed(uuid);
    }
    return data;
  });
}
