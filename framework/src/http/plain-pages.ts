/**
 * Built-in error pages for DEBUG false when the site has no template of its own. Deliberately
 * bare: no request path, no message, nothing that reflects the request back.
 */
const TITLES: Readonly<Record<number, [title: string, text: string]>> = {
  400: ['Bad Request (400)', 'The server could not understand this request.'],
  403: ['403 Forbidden', 'You do not have permission to view this page.'],
  404: ['Not Found', 'The page you asked for does not exist on this server.'],
  408: ['Request Timeout (408)', 'The request took too long to arrive.'],
  431: ['Request Header Fields Too Large (431)', 'The request headers are larger than this server accepts.'],
  500: ['Server Error (500)', 'Something went wrong on our side. The site administrators have been told.'],
};

export function plainPage(status: number): string {
  const [title, text] = TITLES[status] ?? [`Error (${status})`, 'The request could not be completed.'];
  return (
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>' +
    title +
    '</title></head>\n<body>\n<h1>' +
    title +
    '</h1>\n<p>' +
    text +
    '</p>\n</body>\n</html>\n'
  );
}

export const ERROR_TEMPLATE_STATUSES = [400, 403, 404, 500] as const;
