"""python -m helpers.preflight [--participants N] [--backend B]"""
import sys

from . import main

sys.exit(main())
