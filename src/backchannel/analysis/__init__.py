"""Answers from forecasts: backtests, named outcomes, what-if, sensitivity and market impacts."""
