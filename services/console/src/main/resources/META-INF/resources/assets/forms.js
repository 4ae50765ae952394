// Form fields with their label, help and error slot, and the display of an API problem on a form:
// each of the problem's errors goes under the input it names (data-field), the rest in the form's alert.
import { html, esc, $, $$, announce } from './dom.js';
import { ApiError } from './api.js';

/**
 * One labelled control. kind: input (default), select (options: [[value, label]]), textarea, checkbox.
 * field: the API's name for it (the problem's errors[].field), so server errors land here.
 */
export function field({ id, label, name, field: apiField, kind = 'input', type = 'text', value = '', help = '',
  required = false, wide = false, options = [], attrs = '', placeholder = '' }) {
  const described = [help ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${name ?? id}" data-field="${apiField ?? name ?? id}" aria-describedby="${described}" ${required ? html`required aria-required="true"` : ''}`;
  let control;
  if (kind === 'select') {
    control = html`<select ${common} ${attrs}>${options.map(([v, l]) => html`<option value="${v}" ${String(v) === String(value) ? 'selected' : ''}>${l}</option>`)}</select>`;
  } else if (kind === 'textarea') {
    control = html`<textarea ${common} rows="3" placeholder="${placeholder}" ${attrs}>${value}</textarea>`;
  } else if (kind === 'checkbox') {
    return html`<div class="field ${wide ? 'wide' : ''}"><label class="check"><input type="checkbox" ${common} ${value ? 'checked' : ''} ${attrs}> ${label}</label>${help ? html`<span class="help" id="${id}-help">${help}</span>` : ''}<span class="error" id="${id}-error"></span></div>`;
  } else {
    control = html`<input type="${type}" ${common} value="${value}" placeholder="${placeholder}" ${attrs}>`;
  }
  return html`<div class="field ${wide ? 'wide' : ''}"><label for="${id}">${label}</label>${control}${help ? html`<span class="help" id="${id}-help">${help}</span>` : ''}<span class="error" id="${id}-error"></span></div>`;
}

/** The form's alert region (role=alert is added only while it says something). */
export const formAlert = () => html`<div class="form-alert alert bad" tabindex="-1" hidden></div>`;

export function clearErrors(form) {
  for (const control of $$('[aria-invalid="true"]', form)) control.removeAttribute('aria-invalid');
  for (const slot of $$('.field .error', form)) slot.textContent = '';
  const alert = $('.form-alert', form);
  if (alert) { alert.hidden = true; alert.removeAttribute('role'); alert.innerHTML = ''; }
}

function controlFor(form, apiField) {
  // "env[2].name" -> "env[2].name", "env.name", "env"; "strategy.maxSurge" -> itself, "strategy"
  const plain = apiField.replace(/\[\d+\]/g, '');
  const candidates = [apiField, plain];
  const parts = plain.split('.');
  for (let n = parts.length - 1; n > 0; n--) candidates.push(parts.slice(0, n).join('.'));
  for (const name of candidates) {
    const control = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (control) return control;
  }
  return null;
}

/** Marks one control wrong with a message (client-side checks use this too). */
export function fieldError(form, control, message) {
  control.setAttribute('aria-invalid', 'true');
  const slot = document.getElementById(`${control.id}-error`);
  if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
}

/**
 * Shows an error on the form: a problem's field errors under their inputs, everything else (and a
 * summary) in the form's alert, which takes the focus so a keyboard or screen-reader user hears it.
 */
export function showError(form, error) {
  clearErrors(form);
  const alert = $('.form-alert', form);
  const unplaced = [];
  let first = null;
  if (error instanceof ApiError) {
    for (const { field: name, message } of error.fieldErrors) {
      const control = name ? controlFor(form, name) : null;
      if (control) {
        fieldError(form, control, name.includes('[') || control.dataset.field !== name ? `${name}: ${message}` : message);
        first ??= control;
      } else {
        unplaced.push(`${name}: ${message}`);
      }
    }
  }
  const headline = error instanceof ApiError
    ? (error.fieldErrors.length ? `${error.title}: ${error.fieldErrors.length === 1 ? 'one field needs' : `${error.fieldErrors.length} fields need`} attention.` : `${error.title}: ${error.message}`)
    : String(error.message || error);
  if (alert) {
    alert.innerHTML = `<strong>${esc(headline)}</strong>${unplaced.length ? `<ul>${unplaced.map((u) => `<li>${esc(u)}</li>`).join('')}</ul>` : ''}`;
    alert.hidden = false;
    alert.setAttribute('role', 'alert');
  }
  announce(headline);
  (first ?? alert)?.focus();
}

/** Runs an async submit with the submit button disabled and a busy state; returns its result or null on error. */
export async function submitting(form, work) {
  const button = form.querySelector('button[type=submit]');
  const label = button?.textContent;
  if (button) { button.disabled = true; button.textContent = button.dataset.busy || 'Working…'; }
  form.setAttribute('aria-busy', 'true');
  clearErrors(form);
  try {
    return await work();
  } catch (error) {
    if (error?.name === 'AbortError') return null;
    showError(form, error);
    return null;
  } finally {
    if (button) { button.disabled = false; button.textContent = label; }
    form.removeAttribute('aria-busy');
  }
}

/** Client-side checks before the API is asked; each check is [control, message|null]. */
export function checkAll(form, checks) {
  clearErrors(form);
  let first = null;
  for (const [control, message] of checks) {
    if (message) { fieldError(form, control, message); first ??= control; }
  }
  if (first) {
    const alert = $('.form-alert', form);
    if (alert) { alert.textContent = 'Please correct the marked fields.'; alert.hidden = false; alert.setAttribute('role', 'alert'); }
    first.focus();
    return false;
  }
  return true;
}

/** The error text for a failed page load, in the page's own words. */
export function errorBlock(error, what = 'This page') {
  if (error instanceof ApiError && error.status === 404) {
    return html`<div class="card"><div class="empty" role="alert"><h2>Not found</h2><p>${what} does not exist, or it belongs to a team you are not in.</p><p><a href="#/apps">Back to your apps</a></p></div></div>`;
  }
  return html`<div class="alert bad" role="alert"><strong>${error.title ?? 'Error'}</strong>: ${error.message}</div>`;
}
