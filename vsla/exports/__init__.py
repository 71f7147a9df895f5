"""Exports of a group: hledger journal, CSV tables, an Excel workbook."""
