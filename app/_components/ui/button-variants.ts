import { cva } from "class-variance-authority";

/** Button looks, shared by <Button> and by links styled as buttons (which render on the server). */
export const buttonVariants = cva(
  "inline-flex items-center justify-center gap-1 rounded-md text-sm font-medium shadow-sm hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed",
  {
    variants: {
      variant: {
        primary: "bg-indigo-700 text-white hover:bg-indigo-800 disabled:bg-indigo-300",
        secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100",
        danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50",
        destructive: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-300",
        ghost: "text-indigo-700 shadow-none hover:bg-slate-100",
      },
      size: {
        default: "px-3 py-1.5",
        sm: "px-2 py-1 text-xs",
        icon: "size-7 p-0",
      },
    },
    defaultVariants: { variant: "primary", size: "default" },
  },
);
