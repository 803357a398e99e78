"""The benchmark's results as Markdown tables, with every target checked."""

from benchmark.measure import Figure
from benchmark.peer import Throughput

#: ModelAtlas must answer these at least this many times faster than MLflow.
PEER_SPEEDUP = 2.0


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _times(ratio: float) -> str:
    """A speed-up as people read it: "3.1× faster", or "12× slower" below one."""
    if ratio >= 1:
        return f"{ratio:,.1f}× faster"
    slower = 1 / ratio
    return f"{slower:,.1f}× slower" if slower < 10 else f"{slower:,.0f}× slower"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "–"}[met]


def app_table(figures: list[Figure], floor: Figure | None) -> list[str]:
    lines = [
        "| Scenario | median ms | p95 ms | median × floor | p95 × floor | SQL queries | target p95 | |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for figure in figures:
        if not figure.ok:
            lines.append(
                f"| {figure.label} | {figure.status} | | | | | {_ms(figure.target_ms) if figure.target_ms else '–'} | |"
            )
            continue
        if floor is not None and floor.ok and figure is not floor:
            ratios = f"{figure.median / floor.median:,.1f}× | {figure.p95 / floor.p95:,.1f}×"
        else:
            ratios = "1.0× | 1.0×" if figure is floor else "– | –"
        target = f"≤ {_ms(figure.target_ms)}" if figure.target_ms else "–"
        lines.append(
            f"| {figure.label} | {_ms(figure.median)} | {_ms(figure.p95)} | {ratios} | "
            f"{figure.query_text} | {target} | {_verdict(figure.meets_target)} |"
        )
    return lines


def peer_rows(pairs: list[tuple[str, Figure, Figure]], creates: list[tuple[Throughput, Throughput]]) -> list[str]:
    lines = ["| Operation | ModelAtlas | MLflow | ModelAtlas is | target | |", "|---|---:|---:|---:|---:|---|"]
    for ours, theirs in creates:
        if ours.status != "ok" or theirs.status != "ok":
            lines.append(
                f"| {ours.label} (models/s) | {ours.status if ours.status != 'ok' else f'{ours.per_second:,.0f}'}"
                f" | {theirs.status if theirs.status != 'ok' else f'{theirs.per_second:,.0f}'} | | – | |"
            )
            continue
        ratio = ours.per_second / theirs.per_second if theirs.per_second else 0
        lines.append(
            f"| {ours.label} (models/s, {ours.count} each) | {ours.per_second:,.0f} | "
            f"{theirs.per_second:,.0f} | {ratio:,.2f}× the throughput | – | |"
        )
    for label, ours, theirs, judged in pairs:
        target = f"≥ {PEER_SPEEDUP:.0f}×" if judged else "–"
        if not (ours.ok and theirs.ok):
            lines.append(
                f"| {label} | {ours.status if not ours.ok else _ms(ours.median)} | "
                f"{theirs.status if not theirs.ok else _ms(theirs.median)} | | {target} | |"
            )
            continue
        speedup = theirs.median / ours.median
        lines.append(
            f"| {label}: median (p95) ms | {_ms(ours.median)} ({_ms(ours.p95)}) | {_ms(theirs.median)} "
            f"({_ms(theirs.p95)}) | {_times(speedup)} (p95 {_times(theirs.p95 / ours.p95)}) | "
            f"{target} | {_verdict(speedup >= PEER_SPEEDUP if judged else None)} |"
        )
    return lines


def summary(figures: list[Figure], pairs) -> list[str]:
    missed = [f.label for f in figures if f.meets_target is False]
    unavailable = [f.label for f in figures if not f.ok]
    slow_peer = [
        label
        for label, ours, theirs, judged in pairs
        if judged and ours.ok and theirs.ok and theirs.median / ours.median < PEER_SPEEDUP
    ]
    lines = []
    lines.append("- Latency targets: " + ("all met" if not missed else "missed by " + "; ".join(missed)))
    if unavailable:
        lines.append("- Not measured: " + "; ".join(unavailable))
    if pairs:
        lines.append(
            f"- ≥ {PEER_SPEEDUP:.0f}× MLflow: " + ("met" if not slow_peer else "missed on " + "; ".join(slow_peer))
        )
    varying = [f"{f.label} ({f.query_text})" for f in figures if f.ok and len(set(f.queries)) > 1]
    lines.append(
        "- SQL queries per request: "
        + ("the same on every request of a scenario" if not varying else "varied within " + "; ".join(varying))
    )
    return lines
