"""Receive a multipart upload straight to disk, enforcing the size limit while it streams.

Starlette's form parser would spool the whole file first and only then let us look at it; this
parser writes each chunk to the destination as it arrives, so memory stays flat and a too-large
upload is cut off at the limit instead of after it has filled the disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from fastapi import HTTPException, Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:  # the callback type exists for type checkers only
    from python_multipart.multipart import MultipartCallbacks

# Form fields other than the file are small (an exercise id); anything bigger is not ours.
MAX_FIELD_BYTES = 4096


@dataclass
class ReceivedUpload:
    """The form fields, and the one file saved at `path` (`size` bytes, `filename` as sent)."""

    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    filename: str = ""
    size: int = 0


class _Receiver:
    """Multipart callbacks: fields into memory (small), the file part into `dest` (chunked)."""

    def __init__(self, dest: Path, file_field: str, max_bytes: int) -> None:
        self.dest, self.file_field, self.max_bytes = dest, file_field, max_bytes
        self.result = ReceivedUpload()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._buffer = bytearray()
        self._file: IO[bytes] | None = None

    def on_part_begin(self) -> None:
        self._headers, self._name, self._buffer = {}, "", bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == self.file_field and b"filename" in options:
            if self._file is not None:
                raise HTTPException(422, "send one video per upload")
            self.result.filename = options[b"filename"].decode("utf-8", "replace")
            self.result.path = self.dest
            self._file = open(self.dest, "wb")  # noqa: SIM115 (closed in close())

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._file is not None and self._name == self.file_field:
            self.result.size += len(chunk)
            if self.result.size > self.max_bytes:
                raise HTTPException(413, f"the video is larger than the upload limit of "
                                         f"{self.max_bytes / 1024 / 1024:g} MB")
            self._file.write(chunk)
        else:
            self._buffer += chunk
            if len(self._buffer) > MAX_FIELD_BYTES:
                raise HTTPException(413, f"form field {self._name!r} is too large")

    def on_part_end(self) -> None:
        if self._file is not None and self._name == self.file_field:
            self._file.close()
            self._file = None
        elif self._name:
            self.result.fields[self._name] = self._buffer.decode("utf-8", "replace")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


async def receive_upload(request: Request, dest: Path, max_bytes: int,
                         file_field: str = "file") -> ReceivedUpload:
    """Stream a multipart/form-data body: fields returned, the file written to `dest`.

    Raises HTTPException 413 (too large: declared or actual), 400 (not multipart, malformed) or
    422 (no file). On any error the partial file is deleted.
    """
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise HTTPException(400, "send the video as multipart/form-data (field 'file')")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise HTTPException(413, f"the video is larger than the upload limit of "
                                 f"{max_bytes / 1024 / 1024:g} MB")
    receiver = _Receiver(dest, file_field, max_bytes)
    callbacks: MultipartCallbacks = {
        "on_part_begin": receiver.on_part_begin,
        "on_header_field": receiver.on_header_field,
        "on_header_value": receiver.on_header_value,
        "on_header_end": receiver.on_header_end,
        "on_headers_finished": receiver.on_headers_finished,
        "on_part_data": receiver.on_part_data,
        "on_part_end": receiver.on_part_end,
    }
    parser = MultipartParser(params[b"boundary"], callbacks)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        _discard(receiver, dest)
        raise HTTPException(400, f"malformed multipart upload: {exc}") from exc
    except BaseException:
        _discard(receiver, dest)
        raise
    receiver.close()
    if receiver.result.path is None:
        raise HTTPException(422, "no video file in the upload (multipart field 'file')")
    return receiver.result


def _discard(receiver: _Receiver, dest: Path) -> None:
    receiver.close()
    if dest.exists():
        os.unlink(dest)
