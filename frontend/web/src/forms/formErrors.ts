/**
 * One helper maps a mutation payload's `errors { field code message }` onto an antd form
 * (DESIGN.md §5): errors whose field the form has go under that field, the rest become
 * form-level messages. Texts come from ERROR_MESSAGES by code, else the server message.
 *
 *   const { fields, messages } = formErrors(payload.errors, { fields: ['username', 'password'] });
 *   form.setFields(fields);
 *   setAlerts(messages);
 */
import type { FormInstance } from 'antd';
import { errorMessage } from '../api/errorMessages';

/** The shape of every payload error type (AuthError, IdentityError, …). */
export interface PayloadError {
  field?: string | null;
  code: string;
  message: string;
}

/** One entry of antd's `form.setFields(…)` for a form of these values. */
export type FieldErrors<Values> = Parameters<FormInstance<Values>['setFields']>[0][number];

export interface FormErrorsResult<Values> {
  /** Pass to `form.setFields`. */
  fields: FieldErrors<Values>[];
  /** Errors that belong to no field of the form: show them above it. */
  messages: string[];
}

export interface FormErrorsOptions {
  /**
   * The form's field names (dotted for nested ones). When given, an error on any other
   * field becomes a form-level message; when omitted every error with a field is placed
   * on that field.
   */
  fields?: readonly string[];
  /** Extra or overriding code → text entries for this form. */
  messages?: Readonly<Record<string, string>>;
}

/**
 * The API names fields as the argument path, e.g. `password` or `input.idNumber`; a
 * form holds the input object's fields at its top level, so a leading `input.` goes.
 */
export function fieldPath(field: string): string {
  return field.startsWith('input.') ? field.slice('input.'.length) : field;
}

export function formErrors<Values = Record<string, unknown>>(
  errors: readonly PayloadError[],
  options: FormErrorsOptions = {},
): FormErrorsResult<Values> {
  const byField = new Map<string, string[]>();
  const messages: string[] = [];
  const known = options.fields ? new Set(options.fields) : null;

  for (const error of errors) {
    const text = options.messages?.[error.code] ?? errorMessage(error.code, error.message);
    const path = error.field ? fieldPath(error.field) : null;
    if (path && (known === null || known.has(path))) {
      const list = byField.get(path) ?? [];
      if (!list.includes(text)) list.push(text);
      byField.set(path, list);
    } else if (!messages.includes(text)) {
      messages.push(text);
    }
  }

  const fields = [...byField].map(
    ([path, texts]) =>
      // The server names the field at run time; `options.fields` is the check that it
      // is one of this form's, so the static name type can only be asserted here.
      ({
        name: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
        errors: texts,
      }) as FieldErrors<Values>,
  );
  return { fields, messages };
}
