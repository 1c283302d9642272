"""Writes a large transaction file for the streaming benchmark: UCI Online Retail repeated
COPIES times with shifted customer and invoice ids (copy k adds k * 100000 to CustomerID and
k * 1000000 to the invoice number, keeping the C prefix of cancellations), so every copy is a
new set of customers with the same behaviour. 19 copies give ~10.3 M rows, ~0.9 GB.

usage: python3 benches/make_big_online_retail.py OUT.csv [COPIES]
"""
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent.parent / "shared/data/online_retail/online_retail.csv"


def main() -> None:
    out = Path(sys.argv[1])
    copies = int(sys.argv[2]) if len(sys.argv) > 2 else 19
    lines = SRC.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line.split(",") for line in lines[1:]]
    # Descriptions may contain quoted commas: only the first field (invoice) and the
    # second-to-last (CustomerID) are rewritten, counted from each end.
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n")
        for k in range(copies):
            for fields in rows:
                invoice, customer = fields[0], fields[-2]
                cancel = invoice.startswith("C")
                number = invoice[1:] if cancel else invoice
                if number.isdigit():
                    number = str(int(number) + k * 1_000_000)
                invoice = ("C" if cancel else "") + number
                if customer:
                    customer = str(int(float(customer)) + k * 100_000)
                f.write(",".join([invoice, *fields[1:-2], customer, fields[-1]]) + "\n")


if __name__ == "__main__":
    main()
