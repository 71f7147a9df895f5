"""Exports of a group: hledger journal, CSV tables, an Excel workbook."""

TABLES = ("members", "meetings", "statements")  # the tables of the csv and xlsx exports
