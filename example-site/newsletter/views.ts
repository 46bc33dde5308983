/**
 * /newsletter/: sign up with an address; a confirmation link goes to it, and the subscription
 * counts only once the link is followed (so nobody can sign up someone else). The link's page
 * answers plainly: confirmed, expired, or invalid.
 */
import type { HttpRequest } from 'reinhardt/http';
import { getLogger } from 'reinhardt/log';
import { sendMail } from 'reinhardt/mail';
import * as messages from 'reinhardt/messages';
import { redirect, render } from 'reinhardt/shortcuts';
import { reverse, type RouteParams } from 'reinhardt/urls';
import { email, validate } from '../coffeehouse/forms.js';
import { CONFIRM_MAX_AGE, confirmationToken, readConfirmation } from './tokens.js';

const logger = getLogger('coffeehouse.newsletter');

export async function signup(request: HttpRequest) {
  if (request.method !== 'POST') {
    return render(request, 'newsletter/signup.html', { title: 'Newsletter', values: {}, errors: {} });
  }
  const { values, errors, valid } = validate(request.POST, { email });
  if (!valid) return render(request, 'newsletter/signup.html', { title: 'Newsletter', values, errors });

  const link = request.buildAbsoluteUri(reverse('newsletter:confirm', { token: confirmationToken(values.email) }));
  const hours = CONFIRM_MAX_AGE / 3600;
  const body =
    `Hello,\n\nPlease confirm that you want the Coffeehouse newsletter at this address by opening this link ` +
    `within ${hours} hours:\n\n${link}\n\nIf you did not ask for it, ignore this message: nothing happens without the link.\n`;
  try {
    await sendMail('Confirm your Coffeehouse newsletter subscription', body, null, [values.email]);
  } catch (err) {
    logger.error('The newsletter confirmation could not be sent', { err, request });
    messages.error(request, 'Sorry, we could not send the confirmation just now. Please try again in a few minutes.');
    return render(request, 'newsletter/signup.html', { title: 'Newsletter', values, errors: {} });
  }
  messages.success(request, `We sent a confirmation link to ${values.email}. It works for ${hours} hours.`);
  return redirect(request, 'newsletter:signup');
}

const STATUS = { confirmed: 200, expired: 410, invalid: 400 } as const;

export function confirm(request: HttpRequest, params: RouteParams) {
  const result = readConfirmation(String(params.token));
  if (result.status === 'confirmed') logger.info('Newsletter subscription confirmed', { email: result.email });
  return render(
    request,
    'newsletter/confirm.html',
    { title: 'Newsletter', result, hours: CONFIRM_MAX_AGE / 3600 },
    { status: STATUS[result.status] },
  );
}
