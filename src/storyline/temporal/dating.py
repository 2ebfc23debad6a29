"""placeholder"""
from __future__ import annotations


def main_event_date(text, title, timexes, dct):
    raise NotImplementedError
