"""The ``neurotrace`` command: ``neurotrace demo`` and ``neurotrace bench``.

``neurotrace demo --out DIR [--epochs N] [--seed S]`` trains seed 003's XOR network
with a trace and writes its pictures (see :mod:`neurotrace.demo`);
``neurotrace bench ...`` hands its arguments to ``neurotrace.bench.main``.
``python -m neurotrace ...`` does the same.
"""
import argparse
import importlib
import sys

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="neurotrace",
        description="neurotrace: neurons that own their weights, and a tracer that shows "
                    "every number of backpropagation.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="train seed 003's XOR network with a trace and write its pictures",
        description="Train a 2-2-1 sigmoid network on XOR one sample per step with a trace, "
                    "and write the network and neuron graphs, the loss curve, the decision "
                    "boundary and a chain-rule explanation to a folder.")
    demo.add_argument("--out", default="demo_output", help="folder to write to "
                      "(default: demo_output)")
    demo.add_argument("--epochs", type=int, default=None,
                      help="training epochs (default 5000; 2000 when CI is set)")
    demo.add_argument("--seed", type=int, default=None, help="seed of the initial weights")
    commands.add_parser("bench", help="run the benchmark (arguments go to neurotrace.bench)",
                        add_help=False)
    return parser


def _bench(argv):
    try:
        bench = importlib.import_module("neurotrace.bench")
    except ImportError as error:
        print(f"neurotrace bench: the benchmark module neurotrace.bench could not be imported "
              f"({error}). It ships with the full source tree; reinstall neurotrace from it "
              f"(pip install -e .).", file=sys.stderr)
        return 2
    code = bench.main(argv)
    return 0 if code is None else code


def main(argv=None):
    """Run the command line; return the exit status (0 on success, 2 on a usage problem).

    Examples
    --------
    >>> import tempfile
    >>> main(["demo", "--out", tempfile.mkdtemp(), "--epochs", "5"])  # doctest: +ELLIPSIS
    neurotrace demo: seed 003's XOR network ...
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "bench":          # everything after "bench" belongs to the benchmark
        return _bench(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import SEED, run
        if args.epochs is not None and args.epochs < 1:
            parser.error(f"--epochs must be a positive integer, got {args.epochs}")
        run(args.out, epochs=args.epochs, seed=SEED if args.seed is None else args.seed)
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
