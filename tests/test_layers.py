"""The design's import rules, beyond what import-linter's contracts say: every package of ours stands in the
`layers` contract, and no module of the spine imports itself back through others (imports inside functions
count: they hide a circle, they do not break it)."""

import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
NOT_PRODUCT = {"tests", "benchmarks"}  # tooling, outside the contract


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return config


def _our_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_PRODUCT and not path.parent.name.startswith(".")
    }


def test_every_package_of_ours_has_its_place_in_the_layers_contract():
    config = _contract()
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    placed = {name.strip().strip("()") for layer in layers["layers"] for name in layer.split("|")}

    assert _our_packages() <= placed, f"placez ces paquets dans le contrat : {_our_packages() - placed}"
    assert _our_packages() <= set(config["root_packages"])


def _cycles(graph, package: str) -> list[list[str]]:
    """Strongly connected components of more than one module among `package`'s modules (Tarjan)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return components


def test_no_import_circle_between_the_modules_of_the_spine():
    graph = grimp.build_graph("requests_app", cache_dir=None)
    assert _cycles(graph, "requests_app") == []


def test_the_cycle_finder_finds_a_circle():
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.b", imported="p.c")
    assert _cycles(graph, "p") == [["p.a", "p.b"]]
