"""LiveTransport over real HTTP to the fake server: identity, GET or POST, statuses, secrets."""

from __future__ import annotations

import logging
import socket
import traceback

import pytest
from fake_eutils import Fault

from litmus.entrez import EntrezError, EntrezRequest, LiveTransport, TransportError
from litmus.entrez.live import POST_ID_COUNT

SECRET = "SECRET-api-key-0123456789"


def test_identity_is_added_on_the_wire_but_not_to_the_request(fake_eutils, make_transport):
    transport = make_transport(api_key=SECRET, tool="litmus-tests")
    request = EntrezRequest.build("esearch", db="pubmed", term="x")

    response = transport.send(request)

    (logged,) = fake_eutils.log
    assert logged.method == "GET" and logged.path == "/entrez/eutils/esearch.fcgi"
    assert logged.params == {
        "db": "pubmed", "term": "x", "tool": "litmus-tests", "email": "tests@example.org", "api_key": SECRET,
    }
    assert response.status == 200 and response.request == request
    assert SECRET not in request.canonical


def test_no_api_key_parameter_without_a_key(fake_eutils, make_transport):
    make_transport().send(EntrezRequest.build("esearch", db="pubmed", term="x"))
    assert "api_key" not in fake_eutils.log[0].params


def test_post_for_many_ids_or_a_long_query_get_otherwise(fake_eutils, make_transport):
    transport = make_transport()
    many = [str(i) for i in range(1, POST_ID_COUNT + 2)]
    transport.send(EntrezRequest.build("efetch", db="pubmed", id=many))
    transport.send(EntrezRequest.build("esearch", db="pubmed", term="cancer " * 300))
    transport.send(EntrezRequest.build("efetch", db="pubmed", id=many[:POST_ID_COUNT]))

    methods = [entry.method for entry in fake_eutils.log]
    assert methods[:2] == ["POST", "POST"]
    assert fake_eutils.log[0].ids == many  # the form body carried every id
    assert fake_eutils.log[1].params["term"] == ("cancer " * 300).strip()
    # 100 short ids fit within the URL limit: GET
    assert methods[2] == "GET"


def test_ecitmatch_goes_to_its_cgi_endpoint(fake_eutils, make_transport):
    make_transport().send(EntrezRequest.build("ecitmatch", db="pubmed", retmode="xml", bdata="a|b|c|d|e|k|"))
    assert fake_eutils.log[0].path == "/entrez/eutils/ecitmatch.cgi"


def test_http_errors_come_back_as_responses(fake_eutils, make_transport):
    fake_eutils.script("esearch", Fault.http(503, retry_after=4, body=b"busy"))
    response = make_transport().send(EntrezRequest.build("esearch", db="pubmed", term="x"))
    assert (response.status, response.body, response.headers["retry-after"]) == (503, b"busy", "4")


def test_timeout_raises_transport_error(fake_eutils, make_transport):
    fake_eutils.script("esearch", Fault.slow(0.8))
    with pytest.raises(TransportError, match="timed out") as raised:
        make_transport(timeout=0.2).send(EntrezRequest.build("esearch", db="pubmed", term="x"))
    assert raised.value.utility == "esearch"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_raises_transport_error():
    transport = LiveTransport("me@example.org", base_url=f"http://127.0.0.1:{_closed_port()}/", timeout=1)
    with pytest.raises(TransportError, match="no answer from"):
        transport.send(EntrezRequest.build("einfo"))


def test_email_is_required():
    with pytest.raises(ValueError, match="email"):
        LiveTransport("")


def test_api_key_never_appears_in_repr_errors_or_logs(fake_eutils, make_transport, make_client, caplog):
    # NCBI's 429 body echoes the key; a 400 page might too.
    echo = f'{{"error":"API rate limit exceeded","api-key":"{SECRET}","count":"11","limit":"10"}}'.encode()
    fake_eutils.script("esearch", *[Fault.http(429, body=echo)] * 2, Fault.http(400, body=b"bad key " + SECRET.encode()))
    transport = make_transport(api_key=SECRET)
    refused = LiveTransport("me@example.org", api_key=SECRET, base_url=f"http://127.0.0.1:{_closed_port()}/")
    texts = [repr(transport), str(vars(transport).get("limiter"))]

    with caplog.at_level(logging.DEBUG):
        with pytest.raises(EntrezError) as permanent:
            make_client(transport).esearch("x")
        with pytest.raises(EntrezError) as exhausted:
            make_client(refused).esearch("x")
        with pytest.raises(TransportError) as direct:
            refused.send(EntrezRequest.build("esearch", term="x"))

    for error in (permanent.value, exhausted.value, direct.value):
        texts.append(str(error))
        texts.append("".join(traceback.format_exception(error)))
    texts.extend(record.getMessage() for record in caplog.records)
    assert caplog.records, "expected retry warnings to be logged"
    assert any("***" in text for text in texts)  # the echoed key was there, and blanked
    assert not [text for text in texts if SECRET in text]
