"""An Open311 XML answer stays a document XML parsers read, whatever text an older event stored: a code point XML
cannot carry (U+FFFE, U+FFFF, a C0 control) is written as U+FFFD."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import flask

from ingest.open311.answers import answer


def test_an_xml_answer_with_a_stored_non_xml_code_point_still_parses() -> None:
    with flask.Flask(__name__).app_context():
        body = answer("xml", "service_requests", [{"description": "rusak\ufffe di\uffff jalan\x01"}]).get_data()
    request = ET.fromstring(body).find("request")
    assert request is not None and request.findtext("description") == "rusak\ufffd di\ufffd jalan\ufffd"
