/** Error objects as Meta puts them in webhooks (the shape of Meta's error object; codes and meanings from Meta's docs on error codes). */
const CATALOGUE: Readonly<Record<number, { title: string; details: string }>> = {
  131026: { title: 'Message undeliverable', details: 'Message Undeliverable.' },
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: {
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
    details: 'The user has stopped marketing messages from this business.',
  },
  131051: { title: 'Message type unknown', details: 'Message type is currently not supported.' },
  132015: {
    title: 'Template is Paused',
    details: 'Template is paused due to low quality so it cannot be sent in a template message.',
  },
};

export function errorObject(code: number): Record<string, unknown> {
  const known = CATALOGUE[code] ?? { title: 'Unknown error', details: `Error ${code}` };
  return {
    code,
    title: known.title,
    message: known.title,
    error_data: { details: known.details },
    href: '/documentation/business-messaging/whatsapp/support/error-codes',
  };
}
