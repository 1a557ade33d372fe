"""Helpers for the monitoring tests: paths, the CSV header and a row builder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "cities" / "qingdao" / "monitoring"
HEADER = "year,month,region,indicator,value,unit,status,source,publisher,published,quote,note\n"


def row(year=2024, month=3, region="qingdao", indicator="above_scale_va_growth", value="10.0", unit="%",
        status="reported", source="http://example.org/a", publisher="p", published="2024-04-25", quote="q", note=""):
    return (f"{year},{month},{region},{indicator},{value},{unit},{status},{source},{publisher},{published},"
            f"{quote},{note}\n")
