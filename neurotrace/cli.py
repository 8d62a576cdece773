"""The ``neurotrace`` command: ``neurotrace demo``.

``neurotrace demo --out DIR [--epochs N] [--seed S]`` trains the hands-on's XOR network
with a trace and writes its pictures (see :mod:`neurotrace.demo`).
``python -m neurotrace ...`` does the same. (The benchmark is not part of the installed
package: run ``make bench`` from a source checkout.)
"""
import argparse
import sys

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="neurotrace",
        description="neurotrace: neurons that own their weights, and a tracer that shows "
                    "every number of backpropagation.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="train the hands-on's XOR network with a trace and write its pictures",
        description="Train a 2-2-1 sigmoid network on XOR one sample per step with a trace, "
                    "and write the network and neuron graphs, the loss curve, the decision "
                    "boundary and a chain-rule explanation to a folder.")
    demo.add_argument("--out", default="demo_output", help="folder to write to "
                      "(default: demo_output)")
    demo.add_argument("--epochs", type=int, default=None,
                      help="training epochs (default 5000; 2000 when CI is set)")
    demo.add_argument("--seed", type=int, default=None, help="seed of the initial weights")
    return parser


def main(argv=None):
    """The ``neurotrace`` command: parse ``argv``, run the command, return the exit status.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name, e.g. ``["demo", "--out", "pictures"]``;
        None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0 when the command ran; 2 when no command was given (the help is printed).

    Raises
    ------
    SystemExit
        From argparse, with status 2, on an unknown command or option or an
        ``--epochs`` below 1 (the usage is printed first); with status 0 after ``--help``.

    Examples
    --------
    >>> import tempfile
    >>> main(["demo", "--out", tempfile.mkdtemp(), "--epochs", "5"])  # doctest: +ELLIPSIS
    neurotrace demo: the hands-on's XOR network ...
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
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
