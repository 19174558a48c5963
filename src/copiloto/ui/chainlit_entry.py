"""The file ChainLit loads by path: it imports the real module once, under its package name, so
that `copiloto.ui.chainlit_app.configure()` reaches the callbacks ChainLit registered."""

from copiloto.ui.chainlit_app import *  # noqa: F403
