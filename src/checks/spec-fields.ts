import { z } from 'zod';
import { splitHostPort } from './address.js';
import { looksLikeHttpUrl } from './target.js';

const PLACEHOLDER = /\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/g;

/** Fields shared by the request checks; every string may hold `{{…}}` placeholders. */
export const urlField = z.string().refine(looksLikeHttpUrl, 'expected an http:// or https:// URL');
/** A name for the Host header and SNI: no spaces or line breaks can slip into the request. */
export const HOST_NAME = /^[A-Za-z0-9.:[\]{}_-]+$/;
export const hostField = z.string().regex(HOST_NAME, 'a host name such as niniz.com').optional();
export const resolveField = z.string().min(1, 'an IP address (like curl --resolve)').optional();

export const addressField = z
  .string()
  .refine((v) => splitHostPort(v.replace(PLACEHOLDER, '1')) !== undefined, 'expected host:port, e.g. 127.0.0.1:30000');

export const regexField = z.string().refine((v) => {
  try {
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/** App name whose pods must answer: `jordy` for pods named `jordy-…`. */
export const podField = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a Deployment name such as jordy')
  .optional();
