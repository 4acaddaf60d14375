"""Plots of sqsim's JSON records with matplotlib (PNG, SVG or PDF, chosen by the file's extension).

    record = sqsim.demo()                     # or json.load(open("demo.json")) from `sqsim demo --json`
    sqsim.plotting.demo(record, "demo.png")
    sqsim.plotting.tradeoff(sqsim.experiment("tradeoff", eps=[0.03, 0.003]), "tradeoff.pdf")
    sqsim.plotting.approximation(sqsim.experiment("approximation"), "approx.svg")
    sqsim.plotting.runs({"mine": result}, "loss.png")   # sqsim.run(..., record_trace=True) results

Every function validates the path before drawing, puts legends outside the data, draws reference
lines (bounds, gap, slopes) dashed and error bars where the record has intervals over seeds, and
returns the path.
"""
import os

FORMATS = (".png", ".svg", ".pdf")


def _check_path(path):
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise ValueError(f"plot = {path!r}: the extension must be one of {', '.join(FORMATS)}")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ValueError(f"plot = {path!r}: the directory {directory!r} does not exist")
    return path


def _pyplot():
    import matplotlib.pyplot as plt  # imported on first use: `import sqsim` does not need matplotlib

    return plt


def _save(fig, path):
    fig.savefig(path, bbox_inches="tight")
    _pyplot().close(fig)
    return path


def _legend_below(fig, axes):
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(4, max(1, len(labels))), frameon=False)


def _curve_points(curve):
    """A curve as (x, y) lists, from named objects {"scalar_equivalent", "loss"} or bare [x, y] pairs."""
    xs, ys = [], []
    for point in curve:
        if isinstance(point, dict):
            x = point.get("scalar_equivalent", point.get("queries"))
            y = point.get("loss")
        else:
            x, y = point[0], point[1]
        if x is not None and y is not None:
            xs.append(x)
            ys.append(y)
    return xs, ys


def runs(results, path, *, title="loss against queries", reference=None, reference_label="reference"):
    """Loss of every traced iterate against the scalar-equivalent queries spent, one line per run.

    results: {label: result} with results of sqsim.run/run_hard_instance(..., record_trace=True).
    reference: an optional horizontal line (e.g. opt, or optS + gap - 2 tau)."""
    path = _check_path(path)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for label, result in results.items():
        xs = [max(1, p["scalar_equivalent"]) for p in result["trace"] if p["loss"] is not None]
        ys = [p["loss"] for p in result["trace"] if p["loss"] is not None]
        if xs:
            ax.plot(xs, ys, marker=".", label=f"{label} ({result['status']})")
    if reference is not None:
        ax.axhline(reference, linestyle="--", color="gray", label=reference_label)
    ax.set_xscale("log")
    ax.set_xlabel("scalar-equivalent queries")
    ax.set_ylabel("population loss")
    ax.set_title(title)
    _legend_below(fig, [ax])
    return _save(fig, path)


def demo(record, path):
    """The demo's two panels: loss against queries on the hard, easy and member instances (with the
    certified level optS + gap - 2 tau and optS), and group testing's queries against the SD bound."""
    path = _check_path(path)
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.4))
    for instance in record.get("instances", []):
        xs, ys = _curve_points(instance.get("curve", []))
        xs = [max(1, x) for x in xs]
        if xs:
            left.plot(xs, ys, label=instance["instance"])
    if "optS" in record and "gap" in record:
        tau = record.get("context", {}).get("tolerance", 0.0)
        left.axhline(record["optS"], linestyle="--", color="gray", label="optS")
        if record.get("certified"):
            left.axhline(record["optS"] + record["gap"] - 2 * tau, linestyle=":", color="red", label="certified: optS + gap - 2 tau")
    left.set_xscale("log")
    left.set_xlabel("scalar-equivalent queries")
    left.set_ylabel("loss")
    left.set_title("gradient descent: hard vs easy instance")
    rows = record.get("bound_instance", [])
    if rows:
        d = [r["d"] for r in rows]
        right.plot(d, [r["query_lower_bound"] for r in rows], linestyle="--", color="gray", label="SD lower bound")
        right.plot(d, [r["group_testing_adversary"] for r in rows], marker="o", label="group testing vs adversary")
        mean = [r["group_testing_planted_mean"] for r in rows]
        low = [m - r["group_testing_planted_low"] for m, r in zip(mean, rows)]
        high = [r["group_testing_planted_high"] - m for m, r in zip(mean, rows)]
        right.errorbar(d, mean, yerr=[low, high], marker="s", capsize=3, label="group testing, planted (95% CI)")
        right.set_yscale("log")
    right.set_xlabel("d")
    right.set_ylabel("queries")
    right.set_title("where the bound bites")
    _legend_below(fig, [left, right])
    return _save(fig, path)


def tradeoff(record, path):
    """Queries against d for each target excess eps: the SD bound (dashed) and group testing's counts."""
    path = _check_path(path)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.8, 4.6))
    for eps in sorted({p["epsilon"] for p in record["points"]}, reverse=True):
        points = sorted((p for p in record["points"] if p["epsilon"] == eps and p.get("separated", True)), key=lambda p: p["d"])
        if not points:
            continue
        d = [p["d"] for p in points]
        (line,) = ax.plot(d, [max(1.0, p["bound"]) for p in points], linestyle="--", label=f"SD bound, eps = {eps:g} (k = {points[0]['k']})")
        ax.plot(d, [p["group_testing_adversary"] for p in points], marker="o", color=line.get_color(), label=f"group testing, eps = {eps:g}")
        if all("group_testing_planted_low" in p for p in points):
            mean = [p["group_testing_planted_mean"] for p in points]
            err = [[m - p["group_testing_planted_low"] for m, p in zip(mean, points)], [p["group_testing_planted_high"] - m for m, p in zip(mean, points)]]
            ax.errorbar(d, mean, yerr=err, linestyle="none", marker="s", color=line.get_color(), capsize=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("d")
    ax.set_ylabel("queries")
    ax.set_title("d^Theta(log 1/eps): queries against d")
    _legend_below(fig, [ax])
    return _save(fig, path)


def approximation(record, path):
    """Excess loss against opt (log-log), one panel per label model, one line per algorithm, with the
    reference slopes 2/3 (GKK 2019) and 1 (DGKKS 2020); excess below the resolution drawn at it."""
    path = _check_path(path)
    plt = _pyplot()
    resolution = record.get("context", {}).get("resolution", 1e-9)
    models = list(dict.fromkeys(p["labels"] for p in record["points"] if p["reachable"]))
    if not models:
        raise ValueError("approximation record: no reachable point to plot")
    fig, axes = plt.subplots(1, len(models), figsize=(4.2 * len(models), 4.0), squeeze=False)
    for ax, model in zip(axes[0], models):
        points = [p for p in record["points"] if p["labels"] == model and p["reachable"]]
        for algorithm in dict.fromkeys(p["algorithm"] for p in points):
            mine = sorted((p for p in points if p["algorithm"] == algorithm), key=lambda p: p["opt"])
            x = [p["opt"] for p in mine]
            y = [max(resolution, p["excess_mean"]) for p in mine]
            low = [yi - max(resolution, p["excess_low"]) for yi, p in zip(y, mine)]
            high = [max(resolution, p["excess_high"]) - yi for yi, p in zip(y, mine)]
            ax.errorbar(x, y, yerr=[[max(0, v) for v in low], [max(0, v) for v in high]], marker="o", capsize=3, label=algorithm)
        opts = sorted({p["opt"] for p in points})
        ax.plot(opts, opts, linestyle="--", color="gray", label="slope 1 (excess = opt)")
        ax.plot(opts, [opts[0] * (o / opts[0]) ** (2 / 3) for o in opts], linestyle=":", color="black", label="slope 2/3")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("opt")
        ax.set_ylabel("excess loss")
        ax.set_title(model)
    _legend_below(fig, list(axes[0]))
    return _save(fig, path)
