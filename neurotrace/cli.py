"""The ``neurotrace`` command: ``neurotrace demo`` and ``neurotrace view``.

``neurotrace demo --out DIR [--epochs N] [--seed S]`` trains the hands-on's XOR network
with a trace and writes its pictures (see :mod:`neurotrace.demo`);
``neurotrace view run.trace.npz -o run.html`` writes the step-through viewer of a
saved trace (see :mod:`neurotrace.viewer`).
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
    view = commands.add_parser(
        "view", help="write the step-through viewer of a saved trace (one HTML file)",
        description="Write one self-contained HTML file that steps through a trace saved "
                    "with Trace.save: open it from disk in a browser, no server or network "
                    "needed.")
    view.add_argument("trace", help="a trace file written by Trace.save (e.g. run.trace.npz)")
    view.add_argument("-o", "--out", default=None,
                      help="the HTML file to write (default: the trace's name with .html)")
    view.add_argument("--max-steps", type=int, default=None,
                      help="show at most this many steps, evenly spaced (default 200)")
    view.add_argument("--max-mb", type=float, default=None,
                      help="keep the file near this many MiB (default 6)")
    return parser


def _view(parser, args):
    from pathlib import Path

    from .trace_data import Trace
    from .viewer import to_html
    source = Path(args.trace)
    out = Path(args.out) if args.out else source.with_name(
        source.name.removesuffix(".npz").removesuffix(".trace") + ".html")
    options = {}
    if args.max_steps is not None:
        if args.max_steps < 1:
            parser.error(f"--max-steps must be a positive integer, got {args.max_steps}")
        options["max_steps"] = args.max_steps
    if args.max_mb is not None:
        if not args.max_mb > 0:
            parser.error(f"--max-mb must be positive, got {args.max_mb}")
        options["max_bytes"] = int(args.max_mb * 2 ** 20)
    try:
        t = Trace.load(source)
    except (OSError, ValueError) as error:
        print(f"neurotrace view: {error}", file=sys.stderr)
        return 2
    path = to_html(t, out, **options)
    print(f"neurotrace view: wrote {path} ({path.stat().st_size / 2**20:.2f} MiB, "
          f"{len(t)} recorded steps); open it in a browser.")
    return 0


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
    if args.command == "view":
        return _view(parser, args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
