"""A benchmark row: what was timed, its samples, and the target the issue sets (ms)."""

import statistics
from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    samples_ms: list[float]
    target: str = ""
    notes: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, name: str, samples_ms: list[float], target: str = "", notes: str = "") -> Row:
        row = Row(name, samples_ms, target, notes)
        self.rows.append(row)
        print(
            f"  {name}: médiane {row.median:.1f} ms, p95 {row.p95:.1f} ms "
            f"({len(samples_ms)} mesures) {notes}",
            flush=True,
        )
        return row

    def markdown(self) -> str:
        lines = [
            "| scénario | mesures | médiane (ms) | p95 (ms) | objectif | remarques |",
            "|---|---:|---:|---:|---|---|",
        ]
        for row in self.rows:
            lines.append(
                f"| {row.name} | {len(row.samples_ms)} | {row.median:.1f} | {row.p95:.1f} | {row.target} "
                f"| {row.notes} |"
            )
        return "\n".join(lines)
