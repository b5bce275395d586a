"""The benchmark's mail server: aiosmtpd's SMTP with DATA read in blocks rather than by line.

aiosmtpd reads the message text one line at a time (an await, a log call and several checks per
line: some 80 per reminder), which made the benchmark's server use more CPU than the delivery
it measures. `BlockDataSMTP` reads up to the end-of-data line in blocks and applies the same
rules to the result (RFC 5321 4.5.2 dot removal, the line length limit of 4.5.3.1.6, the
server's size limit). Everything else (greeting, EHLO, MAIL, RCPT, RSET, QUIT, the replies,
the handler hooks) is aiosmtpd's own, over a real socket; a real MTA such as Postfix does this
part in C.
"""

import asyncio

from aiosmtpd.smtp import MISSING, SMTP, syntax

_END = b".\r\n"


class BlockDataSMTP(SMTP):
    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802 (aiosmtpd's naming)
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        data = bytearray()
        while True:
            try:
                data += await self._reader.readuntil(_END)
            except asyncio.LimitOverrunError as error:
                # No ".\r\n" within the reader's limit yet: take what is safely before it.
                data += await self._reader.readexactly(error.consumed)
                continue
            except asyncio.CancelledError:
                self._writer.close()
                raise
            dot = len(data) - len(_END)
            # The end is a line of its own: ".\r\n" at the start or right after a CRLF.
            if dot == 0 or data[dot - 2 : dot] == b"\r\n":
                break
        del data[dot:]
        if self.data_size_limit and len(data) > self.data_size_limit:
            self._set_post_data_state()
            await self.push("552 Error: Too much mail data")
            return
        if data and max(map(len, data.split(b"\r\n"))) + 2 > self.line_length_limit:
            self._set_post_data_state()
            await self.push("500 Line too long (see RFC5321 4.5.3.1.6)")
            return
        # Transparency (RFC 5321 4.5.2): a leading dot of any line is removed.
        content = bytes(data).replace(b"\r\n.", b"\r\n")
        if content.startswith(b"."):
            content = content[1:]
        self.envelope.original_content = content
        self.envelope.content = (
            content.decode("utf-8", errors="surrogateescape") if self._decode_data else content
        )
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)
