/**
 * /contact/: a form whose messages go to MANAGERS, with the visitor as Reply-To. After a good
 * post the visitor is redirected (so a reload does not send twice) and thanked by a flash
 * message; a bad one shows the form again with each error beside its field.
 */
import type { HttpRequest } from 'reinhardt/http';
import { getLogger } from 'reinhardt/log';
import { mailManagers } from 'reinhardt/mail';
import * as messages from 'reinhardt/messages';
import { redirect, render } from 'reinhardt/shortcuts';
import { email, text, validate } from '../coffeehouse/forms.js';

const logger = getLogger('coffeehouse.contact');

const FIELDS = {
  name: (raw: string | undefined) => text(raw, { maxLength: 100, header: true }),
  email,
  subject: (raw: string | undefined) => text(raw, { maxLength: 150, header: true }),
  message: (raw: string | undefined) => text(raw, { maxLength: 5000 }),
};

export async function contact(request: HttpRequest) {
  if (request.method !== 'POST') {
    return render(request, 'contact/form.html', { title: 'Contact us', values: {}, errors: {} });
  }
  const { values, errors, valid } = validate(request.POST, FIELDS);
  if (!valid) {
    return render(request, 'contact/form.html', { title: 'Contact us', values, errors });
  }
  const body = `From: ${values.name} <${values.email}>\n\n${values.message}\n`;
  try {
    await mailManagers(`Contact form: ${values.subject}`, body, { replyTo: [{ name: values.name, address: values.email }] });
  } catch (err) {
    logger.error('The contact form could not be mailed to MANAGERS', { err, request });
    messages.error(request, 'Sorry, we could not send your message just now. Please try again in a few minutes.');
    return render(request, 'contact/form.html', { title: 'Contact us', values, errors: {} });
  }
  messages.success(request, `Thanks, ${values.name}! We will reply to ${values.email} soon.`);
  return redirect(request, 'contact:form');
}
