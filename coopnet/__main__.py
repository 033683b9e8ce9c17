from coopnet.cli import cli

cli()
